"""The one rule for output too big to keep: its first N bytes, and a marker saying what was cut.

A cell printing 50 MB, one log line of 50 MB, a 20 MB image: what is stored (log rows, the
executed notebook) keeps at most the configured number of bytes
(:func:`orchestr_lab.core.settings.max_cell_output_bytes`) and says so with
``[output truncated: N bytes, showing the first M]``. Sizes are UTF-8 bytes, as stored.
"""

from __future__ import annotations

import re

__all__ = ["byte_size", "cap_text", "head", "truncation_marker"]


def byte_size(text: str) -> int:
    """UTF-8 size of ``text`` (``isascii`` is O(1): ASCII text is never encoded to count it)."""
    return len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))


def head(text: str, limit: int) -> str:
    """The longest start of ``text`` within ``limit`` UTF-8 bytes (never half a character)."""
    if limit <= 0:
        return ""
    if text.isascii():
        return text[:limit]
    return text[:limit].encode("utf-8", "surrogatepass")[:limit].decode("utf-8", "ignore")


#: A text :func:`cap_text` already cut ends with this (the writer capped it, the store checks).
_CUT = re.compile(r"\n\[output truncated: [0-9,]+ bytes, showing the first [0-9,]+\]\Z")


def truncation_marker(total: int, shown: int) -> str:
    """``[output truncated: 51,234,567 bytes, showing the first 1,048,576]``."""
    return f"[output truncated: {total:,} bytes, showing the first {shown:,}]"


def cap_text(text: str, limit: int) -> str:
    """``text`` itself when within ``limit`` bytes (a ``len`` check for ASCII), else its
    first ``limit`` bytes followed by the marker on a line of its own. A text cut already
    (its head within ``limit``, then the marker) is left as it is: cutting twice would
    hide the first marker's numbers behind a second one's."""
    if len(text) <= limit and (text.isascii() or byte_size(text) <= limit):
        return text
    total = byte_size(text)
    if total <= limit:
        return text
    cut = _CUT.search(text, max(0, len(text) - 128))
    if cut is not None and total - byte_size(cut.group()) <= limit:
        return text
    kept = head(text, limit)
    return f"{kept}\n{truncation_marker(total, byte_size(kept))}"
