"""Retry delays: a number, a list, or ``exponential_backoff``; jitter drawn around the delay."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

__all__ = ["RetryDelay", "exponential_backoff", "normalize_retry_delay", "retry_delay_for"]

RetryDelay = float | int | Sequence[float | int] | None


def exponential_backoff(backoff_factor: float) -> Callable[[int], list[float]]:
    """Delays that double per retry: ``backoff_factor * 2**n`` for the n-th retry (from 0)."""
    if backoff_factor < 0:
        raise ValueError("backoff_factor must be >= 0")

    def delays(retries: int) -> list[float]:
        return [backoff_factor * 2**n for n in range(retries)]

    delays.__name__ = f"exponential_backoff({backoff_factor})"
    return delays


def normalize_retry_delay(
    retry_delay_seconds: RetryDelay | Callable[[int], Sequence[float]], retries: int
) -> float | list[float]:
    """Resolve the user's option once, when the task is defined (a callable gets ``retries``)."""
    value = retry_delay_seconds
    if callable(value):
        value = value(retries)
    if value is None:
        return 0
    if isinstance(value, (int, float)):
        if value < 0:
            raise ValueError("retry_delay_seconds must be >= 0")
        return value
    delays = [float(v) for v in value]
    if len(delays) > 50:
        raise ValueError("retry_delay_seconds can hold at most 50 delays")
    if any(d < 0 for d in delays):
        raise ValueError("retry_delay_seconds must be >= 0")
    return delays


def retry_delay_for(delay: float | list[float], retry_number: int, jitter_factor: float | None) -> float:
    """Seconds to wait before retry ``retry_number`` (1 = the first retry)."""
    if isinstance(delay, list):
        base = delay[min(retry_number - 1, len(delay) - 1)] if delay else 0.0
    else:
        base = float(delay)
    if jitter_factor and base > 0:
        # Spread around the delay (mean unchanged), never beyond factor * delay either way.
        low = max(0.0, base * (1 - jitter_factor))
        return random.uniform(low, base * (1 + jitter_factor))
    return base
