#!/usr/bin/env bash
# Creates bench/.venv-jupyter-scheduler with jupyter-scheduler 2.12.1 (and the kernel its jobs
# run in), the reference bench/bench_notebooks.py measures notebook runs against. Idempotent:
# does nothing when that venv already has jupyter-scheduler 2.12.1 and ipykernel importable.
#
#   bash bench/setup_jupyter_scheduler.sh          # from the repository root (or anywhere)
#   FORCE=1 bash bench/setup_jupyter_scheduler.sh  # rebuild the venv from scratch
#
# jupyter-scheduler brings jupyter_server, nbconvert and nbclient; it does not depend on
# ipykernel, but its jobs run in the "python3" kernel, so ipykernel is installed too, at the
# version of the project's venv when there is one (both sides then run the same kernel).
set -euo pipefail

JS_VERSION="${JUPYTER_SCHEDULER_VERSION:-2.12.1}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="$HERE/.venv-jupyter-scheduler"
source "$HERE/_venv.sh"
# Exits here when the venv is already up to date; sets PY, UV and ROOT.
bench_venv jupyter-scheduler "$JS_VERSION" "$VENV" "import ipykernel, jupyter_scheduler.extension"

IPYKERNEL="ipykernel"
if [ -x "$ROOT/.venv/bin/python" ]; then
    v="$("$ROOT/.venv/bin/python" -c 'import importlib.metadata as m; print(m.version("ipykernel"))' 2>/dev/null || true)"
    [ -n "$v" ] && IPYKERNEL="ipykernel==$v"
fi

UV_LINK_MODE=copy "$UV" pip install --quiet --python "$PY" "jupyter-scheduler==$JS_VERSION" "$IPYKERNEL"

# Check: the package imports and jupyter_server sees the extension enabled.
"$PY" - <<'EOF'
import importlib.metadata as m
import jupyter_scheduler.extension  # noqa: F401
import ipykernel  # noqa: F401
print(f"jupyter-scheduler {m.version('jupyter-scheduler')}, jupyter_server {m.version('jupyter_server')}, "
      f"ipykernel {m.version('ipykernel')}")
EOF
extensions="$("$VENV/bin/jupyter" server extension list 2>&1 || true)"
if ! grep -q "jupyter_scheduler.*enabled" <<<"$extensions"; then
    echo "error: jupyter_scheduler is not enabled as a server extension in $VENV" >&2
    exit 1
fi

bench_venv_took
