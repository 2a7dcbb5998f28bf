"""Prefect-style import path for states: ``from orchestr_lab.states import Completed, Failed``."""

from .core.states import (
    AwaitingRetry as AwaitingRetry,
    Cached as Cached,
    Cancelled as Cancelled,
    Cancelling as Cancelling,
    Completed as Completed,
    Crashed as Crashed,
    Failed as Failed,
    Late as Late,
    Paused as Paused,
    Pending as Pending,
    Retrying as Retrying,
    Running as Running,
    Scheduled as Scheduled,
    State as State,
    StateType as StateType,
    TimedOut as TimedOut,
)
