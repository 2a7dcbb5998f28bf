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
