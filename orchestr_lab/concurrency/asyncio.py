"""``async with concurrency(...)`` and ``await rate_limit(...)``, as in ``prefect.concurrency.asyncio``."""

from ..sdk.concurrency import (
    AcquireConcurrencySlotTimeoutError as AcquireConcurrencySlotTimeoutError,
    ConcurrencySlotAcquisitionError as ConcurrencySlotAcquisitionError,
    arate_limit as rate_limit,
    concurrency as concurrency,
)

__all__ = ["AcquireConcurrencySlotTimeoutError", "ConcurrencySlotAcquisitionError", "concurrency", "rate_limit"]
