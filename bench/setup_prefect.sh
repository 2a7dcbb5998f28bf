#!/usr/bin/env bash
# Creates bench/.venv-prefect with Prefect 3.9.1, the reference the benchmarks and the parity
# scenarios (tests/compat) are measured against. Idempotent: does nothing when that venv already
# has prefect 3.9.1 importable.
#
#   bash bench/setup_prefect.sh          # from the repository root (or anywhere)
#   FORCE=1 bash bench/setup_prefect.sh  # rebuild the venv from scratch
#
# Prefect 3.9.1's metadata asks for certifi>=2026.10.19, newer than the registry has, so prefect
# is installed with --no-deps and its own requirements (read from the installed metadata) are then
# installed with certifi relaxed to >=2026.10.18.
set -euo pipefail

PREFECT_VERSION="${PREFECT_VERSION:-3.9.1}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
VENV="$HERE/.venv-prefect"
PY="$VENV/bin/python"
start=$(date +%s.%N)

installed_version() {
    [ -x "$PY" ] || return 1
    "$PY" - <<'EOF' 2>/dev/null
import importlib.metadata as m
print(m.version("prefect"))
import prefect  # noqa: F401  (a broken install must not count as installed)
EOF
}

if [ "${FORCE:-0}" = "1" ]; then
    rm -rf "$VENV"
fi

if [ "$(installed_version || true)" = "$PREFECT_VERSION" ]; then
    echo "prefect $PREFECT_VERSION already installed in $VENV"
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

# uv: the project's if present, else install it into the prefect venv.
UV=""
if [ -x "$ROOT/.venv/bin/uv" ]; then
    UV="$ROOT/.venv/bin/uv"
elif command -v uv >/dev/null 2>&1; then
    UV="$(command -v uv)"
else
    "$PY" -m pip install --quiet uv
    UV="$VENV/bin/uv"
fi

"$UV" pip install --quiet --python "$PY" --no-deps "prefect==$PREFECT_VERSION"

REQS="$(mktemp)"
trap 'rm -f "$REQS"' EXIT
"$PY" - "$REQS" <<'EOF'
import importlib.metadata as m
import re
import sys

out = []
for req in m.distribution("prefect").requires or []:
    if re.search(r"\bextra\s*==", req):
        continue  # optional extras (prefect-aws, ...) are not needed
    if re.match(r"^certifi\b", req):
        req = "certifi>=2026.10.18"  # the registry lacks 2026.10.19
    out.append(req)
with open(sys.argv[1], "w") as fh:
    fh.write("\n".join(out) + "\n")
print(f"{len(out)} requirements of prefect", file=sys.stderr)
EOF
"$UV" pip install --quiet --python "$PY" -r "$REQS"

# Check it works offline, with no server started: one flow run on the ephemeral in-process API.
TMP_HOME="$(mktemp -d)"
env -u PREFECT_API_URL \
    PREFECT_HOME="$TMP_HOME" \
    PREFECT_SERVER_ALLOW_EPHEMERAL_MODE=true \
    PREFECT_SERVER_ANALYTICS_ENABLED=false \
    DO_NOT_TRACK=1 \
    PREFECT_LOGGING_LEVEL=WARNING \
    "$PY" - <<'EOF'
from prefect import flow, task

@task
def inc(x):
    return x + 1

@flow
def smoke(n: int) -> int:
    return inc(n)

assert smoke(1) == 2
import prefect
print(f"prefect {prefect.__version__} works offline (ephemeral API)")
EOF
rm -rf "$TMP_HOME"

end=$(date +%s.%N)
printf 'setup took %.1f s\n' "$(echo "$end - $start" | bc 2>/dev/null || python3 -c "print($end-$start)")"
