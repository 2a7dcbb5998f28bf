"""GET flow_runs with a time window (``start_after``/``start_before``) on a store of many runs.

Fills a SQLite store once (``bench_scale.fill``: the engine's ops through ``write_batch``, one
run every few minutes over ``--span-days``), then times ``store.run_pages.flow_run_page`` for
windows narrow and wide, near and far in the past, alone and with a state: first page and a deep
page (by offset and by cursor). Median of ``--repeat`` reads, in milliseconds.

    .venv/bin/python bench/bench_time_window.py --runs 200000 --db /tmp/window.db
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_scale import fill


def _ms(read: Any, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        read()
        times.append((time.perf_counter() - began) * 1000)
    return round(statistics.median(times), 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200_000)
    parser.add_argument("--span-days", type=float, default=365.0)
    parser.add_argument("--db", type=Path, required=True, help="a SQLite file: filled when it does not exist")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    from orchestr_lab.core.page_cursor import decode_run_cursor
    from orchestr_lab.store.database import get_engine
    from orchestr_lab.store.run_pages import flow_run_page

    fresh = not args.db.exists()
    engine = get_engine(f"sqlite:///{args.db}")
    if fresh:
        print(fill(engine, args.runs, 5000, args.span_days)[0], file=sys.stderr)
    now = dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=1)
    day = dt.timedelta(days=1)
    windows = {
        "hour, a year ago": (now - 360 * day, now - 360 * day + dt.timedelta(hours=1)),
        "day, a year ago": (now - 360 * day, now - 359 * day),
        "week, mid-year": (now - 180 * day, now - 173 * day),
        "after, last day": (now - day, None),
        "before, oldest month": (None, now - 335 * day),
        "half a year": (now - 270 * day, now - 90 * day),
    }
    print(f"{'window':24} {'state':10} {'first':>8} {'offset 500':>11} {'cursor':>8} {'total':>7}")
    for label, (after, before) in windows.items():
        for state in (None, "FAILED"):
            query = {"after": after, "before": before, "state": state}
            first = flow_run_page(engine, limit=50, **query)
            cursor = decode_run_cursor(first.next_cursor) if first.next_cursor else None
            page = functools.partial(flow_run_page, engine, limit=50, **query)
            cells = [
                _ms(page, args.repeat),
                _ms(functools.partial(page, offset=500), args.repeat),
                _ms(functools.partial(page, cursor=cursor), args.repeat),
            ]
            total = f"{first.total}{'' if first.total_exact else '+'}"
            print(f"{label:24} {state or '-':10} {cells[0]:8} {cells[1]:11} {cells[2]:8} {total:>7}", flush=True)


if __name__ == "__main__":
    main()
