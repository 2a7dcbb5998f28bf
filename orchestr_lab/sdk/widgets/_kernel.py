"""Widget clicks handled while the cell that showed the widgets still runs.

A flow that pauses for input waits on the kernel's main thread, inside the cell that called it;
the kernel reads each frontend message on that same thread, so a click on the form's Submit
would wait for the cell to end, which waits for the click. ipykernel 7 has subshells: threads
of their own that handle shell messages, and it routes each comm's messages to the subshell its
comm names (``_reply_subshell_for``). The form's widgets name one subshell of ours, so their
clicks and typed values are handled there while the main thread waits. A kernel without
subshells (ipykernel 6) handles them only after the cell ends: :func:`answer_while_busy`
says so, and the form points to the sidebar and the CLI instead.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

__all__ = ["answer_while_busy"]

_lock = threading.Lock()
_subshells: dict[int, str] = {}  # id(kernel) -> the subshell our forms' messages go to


def _kernel() -> Any:
    from IPython import get_ipython

    shell = get_ipython()
    return getattr(shell, "kernel", None) if shell is not None else None


def _new_subshell(kernel: Any) -> str | None:
    """A subshell made on the shell channel's thread (where ipykernel makes them), or None."""
    thread: Any = getattr(kernel, "shell_channel_thread", None)
    manager = getattr(thread, "manager", None)
    if thread is None or manager is None or not getattr(kernel, "_supports_kernel_subshells", False):
        return None
    made: list[str] = []
    ready = threading.Event()

    def create() -> None:
        try:
            made.append(manager._create_subshell())
        finally:
            ready.set()

    thread.io_loop.add_callback(create)
    return made[0] if ready.wait(10) and made else None


def _subshell() -> str | None:
    kernel = _kernel()
    if kernel is None:
        return None
    with _lock:
        known = _subshells.get(id(kernel))
        if known is None:
            try:
                known = _new_subshell(kernel)
            except Exception:  # another ipykernel's internals: then the cell's end handles clicks
                known = None
            if known is not None:
                _subshells[id(kernel)] = known
        return known


def answer_while_busy(widgets: Iterable[Any]) -> bool:
    """Have the kernel handle these widgets' frontend messages on a subshell's thread, so they
    work while the main thread is busy; False where this kernel cannot."""
    comms: list[Any] = [getattr(widget, "comm", None) for widget in widgets]
    # A kernel that routes comm messages to subshells asks each comm where (its own method).
    if not comms or not all(hasattr(comm, "_reply_subshell_for") for comm in comms):
        return False
    subshell = _subshell()
    if subshell is None:
        return False
    for comm in comms:
        comm._reply_subshell_for = lambda data, default, _to=subshell: _to
    return True
