"""Bytes per run: what N trivial flow runs add to each table of the store, on SQLite and PostgreSQL.

The public path, as a user's notebook takes it: a ``@flow`` calling one ``@task``, called N times
in one process, recording into a fresh store (``ORCHESTR_LAB_DB_URL``). The runs are made in a
child process whose ``PYTHONPATH`` is the tree under test, so ``--compare-tree PATH`` measures an
older tree (e.g. ``git worktree add /tmp/old main``) in the same sitting. The child measures the
store after its migrations and again after the N runs and reports the difference per table:

- SQLite: the ``dbstat`` virtual table (bytes of the pages each table and its indexes use, after
  a WAL checkpoint; Python's sqlite3 is built with it, and the bench stops where it is not);
- PostgreSQL: ``pg_relation_size`` (heap) and ``pg_indexes_size``; "other" is the rest of
  ``pg_total_relation_size`` (TOAST, free space and visibility maps), on a throwaway server
  (tests/_postgres.py) with a fresh database.

Page sizes make small N coarse: 2,000 runs fill a few hundred pages, enough for bytes per run.

    .venv/bin/python bench/bench_rows.py                          # 2,000 runs, both stores
    .venv/bin/python bench/bench_rows.py --runs 5000 --stores sqlite --compare-tree /tmp/old --json
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))  # _postgres: the tests' throwaway PostgreSQL server

from bench_claims import stores  # noqa: E402  (a fresh store per call: SQLite file or PostgreSQL database)

# Run in the child (the tree under test on its path): only public names, then table sizes.
_CHILD = r"""
import json, sys
from sqlalchemy import text
from orchestr_lab import flow, task
from orchestr_lab.store.database import get_engine

url, runs = sys.argv[1], int(sys.argv[2])

def sizes(engine):
    out = {}
    if engine.dialect.name == "sqlite":
        raw = engine.raw_connection()
        raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")
        raw.close()
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            owner = dict(conn.exec_driver_sql("SELECT name, tbl_name FROM sqlite_master").fetchall())
            for name, size in conn.exec_driver_sql("SELECT name, sum(pgsize) FROM dbstat GROUP BY name"):
                table = owner.get(name, name)
                entry = out.setdefault(table, {"table": 0, "indexes": 0, "other": 0})
                entry["table" if name == table else "indexes"] += size
        else:
            q = ("SELECT relname, pg_relation_size(oid), pg_indexes_size(oid), pg_total_relation_size(oid) "
                 "FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace")
            for name, heap, indexes, total in conn.execute(text(q)):
                out[name] = {"table": heap, "indexes": indexes, "other": total - heap - indexes}
        for name, entry in out.items():
            if not name.startswith("sqlite_"):
                entry["rows"] = conn.exec_driver_sql(f'SELECT count(*) FROM "{name}"').scalar()
    return out

@task
def one():
    return 1

@flow
def trivial():
    return one()

engine = get_engine(url)
before = sizes(engine)
for _ in range(runs):
    trivial()
after = sizes(engine)
print(json.dumps({"before": before, "after": after}))
"""


def measure(tree: Path, url: str, runs: int, home: Path) -> dict[str, dict[str, float]]:
    """Per table: rows and bytes (heap, indexes, TOAST) per run that ``runs`` trivial runs added."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORCHESTR_LAB_")}
    env.update(
        PYTHONPATH=str(tree),
        ORCHESTR_LAB_HOME=str(home),
        ORCHESTR_LAB_DB_URL=url,
        ORCHESTR_LAB_SHOW_WIDGETS="0",
        PYTHONDONTWRITEBYTECODE="1",
    )
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, url, str(runs)], env=env, capture_output=True, text=True, cwd=home, timeout=1800
    )
    if done.returncode != 0:
        raise SystemExit(f"the runs failed ({tree}):\n{done.stderr[-3000:]}")
    sizes = json.loads(done.stdout.strip().splitlines()[-1])
    out: dict[str, dict[str, float]] = {}
    for table, after in sizes["after"].items():
        before = sizes["before"].get(table, {})
        grown = {k: after.get(k, 0) - before.get(k, 0) for k in ("rows", "table", "indexes", "other")}
        if any(grown.values()):
            row = {k: round(v / runs, 2) for k, v in grown.items()}
            row["bytes"] = round(row["table"] + row["indexes"] + row["other"], 1)
            out[table] = row
    out["total"] = {
        k: round(sum(r[k] for r in out.values()), 1) for k in ("rows", "table", "indexes", "other", "bytes")
    }
    return out


def _print(kind: str, label: str, figures: dict[str, dict[str, float]]) -> None:
    print(f"\n{kind}, {label}: bytes per run (rows per run)")
    for table, r in sorted(figures.items(), key=lambda kv: (kv[0] == "total", -kv[1]["bytes"])):
        print(
            f"  {table:<12} {r['bytes']:>8.1f}  (table {r['table']:.0f}, indexes {r['indexes']:.0f}, "
            f"other {r['other']:.0f}; {r['rows']:g} rows)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2000, help="trivial flow runs per measurement")
    parser.add_argument("--stores", nargs="+", choices=["sqlite", "postgresql"], default=["sqlite", "postgresql"])
    parser.add_argument("--compare-tree", type=Path, help="also measure this tree (e.g. the one before a change)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    trees = {"this tree": REPO}
    if args.compare_tree:
        trees = {"compared tree": args.compare_tree.resolve(), **trees}
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-rows-") as tmp, stores(args.stores) as makers:
        for kind in args.stores:
            for label, tree in trees.items():
                home = Path(tempfile.mkdtemp(dir=tmp))
                figures = measure(tree, makers[kind](), args.runs, home)
                results.setdefault(kind, {})[label] = figures
                if not args.json:
                    _print(kind, label, figures)
    if args.json:
        print(
            json.dumps({"runs": args.runs, "trees": {k: str(v) for k, v in trees.items()}, "stores": results}, indent=2)
        )


if __name__ == "__main__":
    main()
