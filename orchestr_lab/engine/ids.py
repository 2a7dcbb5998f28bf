"""Run ids: UUIDs laid out like UUIDv7 (time first), so new rows land at the end of the index.

Random uuid4 keys scatter every insert over the primary-key B-tree; with time-ordered keys a
store holding 100,000 task runs writes a batch as fast as an empty one. Python 3.11 has no
``uuid.uuid7``, hence this small function.
"""

from __future__ import annotations

import os
import time

__all__ = ["new_id"]


def new_id() -> str:
    """A 36-character UUID string: 48-bit millisecond time, version 7, 74 random bits."""
    ms = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")
    value = (
        (ms & 0xFFFFFFFFFFFF) << 80 | 0x7 << 76 | (rand >> 68 & 0xFFF) << 64 | 0b10 << 62 | (rand & 0x3FFFFFFFFFFFFFFF)
    )
    h = f"{value:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
