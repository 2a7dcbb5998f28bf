"""``async with concurrency(...)`` and ``await rate_limit(...)``, as in ``prefect.concurrency.asyncio``."""

from ..sdk.concurrency import (
    AcquireConcurrencySlotTimeoutError as AcquireConcurrencySlotTimeoutError,
    ConcurrencySlotAcquisitionError as ConcurrencySlotAcquisitionError,
    aconcurrency as concurrency,
    arate_limit as rate_limit,
)

__all__ = ["AcquireConcurrencySlotTimeoutError", "ConcurrencySlotAcquisitionError", "concurrency", "rate_limit"]
