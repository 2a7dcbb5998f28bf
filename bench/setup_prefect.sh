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
source "$HERE/_venv.sh"
# Exits here when the venv is already up to date; sets PY and UV.
bench_venv prefect "$PREFECT_VERSION" "$HERE/.venv-prefect" "import prefect"

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

bench_venv_took
