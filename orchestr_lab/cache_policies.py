"""Prefect-style import path for cache policies (``INPUTS + TASK_SOURCE``, ``NONE``...)."""

from .engine.caching import (
    DEFAULT as DEFAULT,
    FLOW_PARAMETERS as FLOW_PARAMETERS,
    INPUTS as INPUTS,
    NONE as NONE,
    RUN_ID as RUN_ID,
    TASK_SOURCE as TASK_SOURCE,
    CacheKeyFnPolicy as CacheKeyFnPolicy,
    CachePolicy as CachePolicy,
    CompoundCachePolicy as CompoundCachePolicy,
    Inputs as Inputs,
)

#: Prefect 3's other name for NONE.
NO_CACHE = NONE
