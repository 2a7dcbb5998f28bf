"""``with concurrency(...)`` and ``rate_limit(...)``, as in ``prefect.concurrency.sync``."""

from ..sdk.concurrency import (
    AcquireConcurrencySlotTimeoutError as AcquireConcurrencySlotTimeoutError,
    ConcurrencySlotAcquisitionError as ConcurrencySlotAcquisitionError,
    concurrency as concurrency,
    rate_limit as rate_limit,
)

__all__ = ["AcquireConcurrencySlotTimeoutError", "ConcurrencySlotAcquisitionError", "concurrency", "rate_limit"]
