"""Global concurrency and rate limits, at Prefect's paths: ``orchestr_lab.concurrency.sync``
and ``orchestr_lab.concurrency.asyncio`` (the implementation is ``orchestr_lab.sdk.concurrency``)."""
