# Sourced by bench/setup_*.sh: the venv bootstrap they share. Not meant to be run on its own.
#
#   bench_venv DIST VERSION VENV_DIR IMPORTS
#
# Makes VENV_DIR a venv for DIST==VERSION, or exits the calling script with status 0 when it
# already is one: DIST's installed version is VERSION and the Python statement IMPORTS runs
# (a broken install must not count as installed). FORCE=1 removes VENV_DIR first.
# Otherwise it creates the venv (from the interpreter the project's .venv was made from, so both
# sides of a benchmark run the same Python) and finds uv; installing DIST is left to the caller.
# Sets: PY (the venv's python), UV (a uv executable), ROOT (the repository), BENCH_VENV_START.
#
#   bench_venv_took   # prints "setup took N.N s" since bench_venv was called

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

bench_venv() {
    local dist="$1" version="$2" venv="$3" imports="$4"
    BENCH_VENV_START=$(date +%s.%N)
    PY="$venv/bin/python"

    if [ "${FORCE:-0}" = "1" ]; then
        rm -rf "$venv"
    fi

    local installed=""
    if [ -x "$PY" ]; then
        installed="$("$PY" - "$dist" "$imports" <<'EOF' 2>/dev/null || true
import importlib.metadata as m
import sys
exec(sys.argv[2])  # imports first: a failing one must leave no version printed
print(m.version(sys.argv[1]))
EOF
)"
    fi
    if [ "$installed" = "$version" ]; then
        echo "$dist $version already installed in $venv"
        exit 0
    fi

    local base_py=""
    if [ -f "$ROOT/.venv/pyvenv.cfg" ]; then
        base_py="$(sed -n 's/^executable *= *//p' "$ROOT/.venv/pyvenv.cfg")"
    fi
    if [ -z "$base_py" ] || [ ! -x "$base_py" ]; then
        base_py="$(command -v python3)"
    fi

    if [ ! -x "$PY" ]; then
        "$base_py" -m venv "$venv"
    fi

    # uv: the project's if present, else one on PATH, else install it into this venv.
    if [ -x "$ROOT/.venv/bin/uv" ]; then
        UV="$ROOT/.venv/bin/uv"
    elif command -v uv >/dev/null 2>&1; then
        UV="$(command -v uv)"
    else
        "$PY" -m pip install --quiet --disable-pip-version-check uv
        UV="$venv/bin/uv"
    fi
}

bench_venv_took() {
    local end
    end=$(date +%s.%N)
    printf 'setup took %.1f s\n' "$(python3 -c "print($end - $BENCH_VENV_START)")"
}
