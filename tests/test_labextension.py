"""The JupyterLab extension's source (labextension/): its API types match the server, its code is clean.

These need Node.js and labextension/node_modules, which `make setup` installs (jlpm install);
the browser tests (tests/browser) cover what the extension does.
"""

from __future__ import annotations

import difflib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

LABEXT = Path(__file__).resolve().parents[1] / "labextension"
GENERATED = LABEXT / "src" / "openapi.ts"


def _node_tools() -> dict[str, str]:
    """The environment the npm scripts run in (jlpm beside this Python, node on the PATH)."""
    if shutil.which("node") is None or not (LABEXT / "node_modules").is_dir():
        pytest.fail("Node.js and labextension/node_modules are needed: run `make setup` (it runs jlpm install)")
    return {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "ORCHESTR_LAB_PYTHON": sys.executable,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(LABEXT.parent), os.environ.get("PYTHONPATH")])),
    }


def test_the_generated_api_types_match_the_servers_openapi_document(tmp_path: Path) -> None:
    fresh = tmp_path / "openapi.ts"
    subprocess.run(
        ["node", "scripts/generate-api-types.mjs", "--out", str(fresh), "--document", str(tmp_path / "openapi.json")],
        cwd=LABEXT, env=_node_tools(), check=True, capture_output=True, text=True, timeout=240,
    )  # fmt: skip
    committed, regenerated = GENERATED.read_text(), fresh.read_text()
    if committed != regenerated:
        diff = difflib.unified_diff(
            committed.splitlines(), regenerated.splitlines(), "committed", "regenerated", lineterm="", n=1
        )
        excerpt = "\n".join(list(diff)[:40])
        pytest.fail(f"{GENERATED.relative_to(LABEXT.parent)} is stale: run `make api-types`.\n{excerpt}")


def test_the_typescript_source_is_formatted_and_lint_clean() -> None:
    result = subprocess.run(
        ["jlpm", "lint:check"], cwd=LABEXT, env=_node_tools(), capture_output=True, text=True, timeout=240
    )
    assert result.returncode == 0, (
        "labextension/ is not prettier-formatted or eslint-clean (`cd labextension && jlpm lint` fixes "
        f"what it can):\n{result.stdout[-4000:]}{result.stderr[-2000:]}"
    )


FORMAT_DURATION = """
const ts = require('typescript');
const source = require('fs').readFileSync('src/format.ts', 'utf8');
const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS } }).outputText;
const mod = { exports: {} };
new Function('module', 'exports', 'require', js)(mod, mod.exports, require);
const at = (ms) => new Date(Date.UTC(2026, 0, 1) + ms).toISOString();
const cases = JSON.parse(process.argv[1]);
console.log(JSON.stringify(cases.map((ms) => mod.exports.formatDuration(at(0), at(ms)))));
"""


def test_the_sidebar_says_how_long_a_run_took_even_under_a_millisecond() -> None:
    cases = [0, 0.4, 7, 420, 1400, 125_000]
    result = subprocess.run(
        ["node", "-e", FORMAT_DURATION, json.dumps(cases)],
        cwd=LABEXT, env=_node_tools(), check=True, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert json.loads(result.stdout) == ["<1 ms", "<1 ms", "7 ms", "420 ms", "1.4 s", "2 min 5 s"]


# src/sweepModel.ts with the two modules it needs (format.ts, parameters.ts), each transpiled to
# CommonJS and loaded from src/ when required.
SWEEP_MODEL = """
const ts = require('typescript');
const fs = require('fs');
const cache = {};
function load(name) {
  if (!cache[name]) {
    const source = fs.readFileSync(`src/${name}.ts`, 'utf8');
    const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS } }).outputText;
    const mod = { exports: {} };
    cache[name] = mod;
    const need = p => (p.startsWith('./') ? load(p.slice(2)) : require(p));
    new Function('module', 'exports', 'require', js)(mod, mod.exports, need);
  }
  return cache[name].exports;
}
const m = load('sweepModel');
const input = JSON.parse(process.argv[1]);
const columns = m.sweepColumns(input.sweep);
const order = sort => m.sortMembers(input.sweep.members, columns, sort).map(x => x.index);
let sort = null;
const clicks = input.clicks.map(key => { sort = m.nextSort(sort, key); return [sort.descending, order(sort)]; });
console.log(JSON.stringify({
  columns: columns.map(c => c.key),
  clicks,
  unsorted: order(null),
  cells: input.sweep.members.map(member => columns.map(c => m.formatCell(member, c))),
  split: input.split.map(m.splitValues),
  grid: m.gridBody(input.rows, 2),
  count: m.memberCount(input.rows),
  noGrid: m.gridBody(input.rows.map(r => ({ ...r, text: r.initial })), 2),
  sets: input.sets.map(text => m.parameterSetsBody(text, 3)),
  counts: m.describeCounts(input.sweep),
  live: [
    m.isLive(input.sweep),
    m.isLive({ ...input.sweep, state: 'CANCELLED' }),
    m.isLive({ ...input.sweep, state: 'CANCELLED', members: input.sweep.members.slice(0, 3) }),
  ],
}));
"""


def _member(index: int, n: object, score: object, state: str, seconds: float | None) -> dict[str, object]:
    start = "2026-01-01T00:00:00+00:00" if state != "SCHEDULED" else None
    end = f"2026-01-01T00:00:{int(seconds):02d}+00:00" if seconds is not None else None
    return {
        "index": index, "flow_run_id": f"run-{index}", "parameters": {"n": n, "label": f"m{index}"},
        "state": {"type": state, "name": state.title()}, "start_time": start, "end_time": end,
        "duration": seconds, "outputs": {} if score is None else {"score": score},
    }  # fmt: skip


def test_the_sweep_table_sorts_numbers_by_value_and_the_form_builds_the_grid() -> None:
    sweep = {
        "id": "s", "deployment_id": "d", "deployment_name": "dep", "created": "2026-01-01T00:00:00+00:00",
        "max_parallel": 2, "state": "RUNNING", "counts": {"COMPLETED": 3, "RUNNING": 1, "SCHEDULED": 1},
        "parameter_names": ["n", "label"], "output_names": ["score"],
        "members": [
            _member(0, 10, 100, "COMPLETED", 3), _member(1, 9, 81, "COMPLETED", 12),
            _member(2, 2, 4, "COMPLETED", 7), _member(3, 11, None, "RUNNING", None),
            _member(4, 1, None, "SCHEDULED", None),
        ],
    }  # fmt: skip
    rows = [
        {"name": "n", "initial": "1", "text": "1, 2, 3", "hint": {"type": "int", "default": 1}},
        {"name": "label", "initial": "x", "text": 'a, "b, c"', "hint": {"type": "str", "default": "x"}},
        {"name": "lr", "initial": "0.1", "text": "0.5", "hint": {"type": "float", "default": 0.1}},
        {"name": "seed", "initial": "0", "text": "0", "hint": {"type": "int", "default": 0}},
    ]
    given = {
        "sweep": sweep,
        "clicks": ["output:score", "output:score", "param:n", "duration", "param:label"],
        "split": ["1, 2,3", "[1, 2], [3]", '"a, b", c', " , ", "{'k': 1, 'j': 2}, 4"],
        "rows": rows,
        "sets": ['[{"n": 1}, {"n": 2}]', "[1, 2]", "[]", "{nope"],
    }
    result = subprocess.run(
        ["node", "-e", SWEEP_MODEL, json.dumps(given)],
        cwd=LABEXT, env=_node_tools(), check=True, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    out = json.loads(result.stdout)
    assert out["columns"] == ["index", "param:n", "param:label", "state", "duration", "output:score"]
    # Numbers by value (4 < 81 < 100, not "100" < "4"), both ways; members without a value last.
    assert out["clicks"] == [
        [False, [2, 1, 0, 3, 4]],
        [True, [0, 1, 2, 3, 4]],
        [False, [4, 2, 1, 0, 3]],  # n: 1, 2, 9, 10, 11
        [False, [0, 2, 1, 3, 4]],  # duration: 3 s, 7 s, 12 s, then the two not finished
        [False, [0, 1, 2, 3, 4]],  # labels m0..m4
    ]
    assert out["unsorted"] == [0, 1, 2, 3, 4]
    assert out["cells"][0] == ["0", "10", "m0", "COMPLETED", "3.0 s", "100"]
    assert out["cells"][4] == ["4", "1", "m4", "SCHEDULED", "—", "—"]
    assert out["split"] == [["1", "2", "3"], ["[1, 2]", "[3]"], ['"a, b"', "c"], [], ["{'k': 1, 'j': 2}", "4"]]
    # Rows with several values are the grid; one changed value is shared; an unchanged row is left out.
    assert out["grid"] == {
        "body": {"grid": {"n": [1, 2, 3], "label": ["a", "b, c"]}, "max_parallel": 2, "parameters": {"lr": 0.5}}
    }
    assert out["count"] == 6
    assert out["noGrid"]["field"] == "grid"
    assert out["sets"][0] == {"body": {"parameter_sets": [{"n": 1}, {"n": 2}], "max_parallel": 3}}
    assert [s.get("field") for s in out["sets"][1:]] == ["parameter_sets"] * 3
    assert "Item 1 is not an object" in out["sets"][1]["error"]
    assert out["counts"] == "3 of 5 completed · 1 running · 1 scheduled"
    # The table keeps asking while a member is not final, even once the sweep itself is cancelled.
    assert out["live"] == [True, True, False]
