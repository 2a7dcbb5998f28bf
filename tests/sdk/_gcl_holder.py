"""A process that takes global concurrency slots, for tests/sdk/test_global_concurrency.py.

python _gcl_holder.py contend NAME OUT TIMES HOLD   # TIMES blocks of HOLD s; "enter exit" lines to OUT
python _gcl_holder.py hold NAME LEASE READY         # holds one slot (lease LEASE s) until killed
python _gcl_holder.py rate NAME TIMES OUT           # rate_limit(NAME) TIMES times; each time to OUT
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from orchestr_lab.concurrency.sync import concurrency, rate_limit


def main(mode: str, name: str, *args: str) -> None:
    if mode == "contend":
        out, times, hold = Path(args[0]), int(args[1]), float(args[2])
        for _ in range(times):
            with concurrency(name, timeout_seconds=60, strict=True):
                enter = time.time()
                time.sleep(hold)
                leave = time.time()
            with out.open("a") as f:
                f.write(f"{enter} {leave}\n")
    elif mode == "hold":
        with concurrency(name, lease_duration=float(args[0]), strict=True):
            Path(args[1]).write_text("held")
            time.sleep(600)
    elif mode == "rate":
        stamps = []
        for _ in range(int(args[0])):
            rate_limit(name, strict=True)
            stamps.append(time.time())
        Path(args[1]).write_text("\n".join(map(str, stamps)))


if __name__ == "__main__":
    main(*sys.argv[1:])
