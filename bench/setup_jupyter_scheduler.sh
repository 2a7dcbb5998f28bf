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
ROOT="$(cd "$HERE/.." && pwd)"
VENV="$HERE/.venv-jupyter-scheduler"
PY="$VENV/bin/python"
start=$(date +%s.%N)

installed_version() {
    [ -x "$PY" ] || return 1
    "$PY" - <<'EOF' 2>/dev/null
import importlib.metadata as m
print(m.version("jupyter-scheduler"))
import ipykernel, jupyter_scheduler.extension  # noqa: F401  (a broken install must not count)
EOF
}

if [ "${FORCE:-0}" = "1" ]; then
    rm -rf "$VENV"
fi

if [ "$(installed_version || true)" = "$JS_VERSION" ]; then
    echo "jupyter-scheduler $JS_VERSION already installed in $VENV"
    exit 0
fi

# Base interpreter: the one the project's venv was made from, so both sides run the same Python.
BASE_PY=""
if [ -f "$ROOT/.venv/pyvenv.cfg" ]; then
    BASE_PY="$(sed -n 's/^executable *= *//p' "$ROOT/.venv/pyvenv.cfg")"
fi
if [ -z "$BASE_PY" ] || [ ! -x "$BASE_PY" ]; then
    BASE_PY="$(command -v python3)"
fi

if [ ! -x "$PY" ]; then
    "$BASE_PY" -m venv "$VENV"
fi

# uv: the project's if present, else one on PATH, else install it into this venv.
UV=""
if [ -x "$ROOT/.venv/bin/uv" ]; then
    UV="$ROOT/.venv/bin/uv"
elif command -v uv >/dev/null 2>&1; then
    UV="$(command -v uv)"
else
    "$PY" -m pip install --quiet --disable-pip-version-check uv
    UV="$VENV/bin/uv"
fi

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

end=$(date +%s.%N)
printf 'setup took %.1f s\n' "$(python3 -c "print($end - $start)")"
