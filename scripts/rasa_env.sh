#!/usr/bin/env bash
# Creates (once) Rasa's own Python 3.10 virtualenv and prints its path as the last line on stdout.
#
# Usage: RASA_VENV=$(scripts/rasa_env.sh)
# The venv lives outside the clone, keyed by the pinned requirements, so a change to
# rasa_project/requirements.txt gets a fresh venv and reruns with the same pins are instant.
# Environment: AFTERCARE_CACHE (default ~/.cache/aftercare), RASA_PYTHON (a python3.10 to use).
set -euo pipefail

log() { echo "rasa_env: $*" >&2; }
die() { echo "rasa_env: error: $*" >&2; exit 1; }

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REQUIREMENTS="$ROOT/rasa_project/requirements.txt"
[ -f "$REQUIREMENTS" ] || die "missing $REQUIREMENTS"

KEY="$(sha256sum "$REQUIREMENTS" | cut -c1-12)"
CACHE="${AFTERCARE_CACHE:-$HOME/.cache/aftercare}"
VENV="$CACHE/rasa-venv-$KEY"
MARKER="$VENV/.aftercare-complete"

if [ -f "$MARKER" ] && [ -x "$VENV/bin/rasa" ]; then
    log "using existing $VENV"
    echo "$VENV"
    exit 0
fi

# True when "$1" runs and is CPython 3.10 (pyenv shims exist even when 3.10 is not installed).
is_python310() {
    [ -n "$1" ] && "$1" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 10) else 1)' \
        >/dev/null 2>&1
}

# Prints the first working Python 3.10: python3.10 on PATH, then pyenv's 3.10.* (newest first).
find_python310() {
    local candidate
    candidate="$(command -v python3.10 || true)"
    if is_python310 "$candidate"; then echo "$candidate"; return 0; fi
    local root
    # pyenv may be installed but not initialised in this shell; its default root still works.
    root="$(pyenv root 2>/dev/null || echo "${PYENV_ROOT:-$HOME/.pyenv}")"
    for candidate in $(ls -d "$root"/versions/3.10.* 2>/dev/null | sort -V -r); do
        if is_python310 "$candidate/bin/python3.10"; then
            echo "$candidate/bin/python3.10"
            return 0
        fi
    done
    return 1
}

if [ -n "${RASA_PYTHON:-}" ]; then
    is_python310 "$RASA_PYTHON" || die "RASA_PYTHON=$RASA_PYTHON is not a working Python 3.10"
    PYTHON="$RASA_PYTHON"
else
    PYTHON="$(find_python310)" \
        || die "no Python 3.10 found (set RASA_PYTHON, put python3.10 on PATH, or pyenv install 3.10)"
fi
log "using $("$PYTHON" --version 2>&1) at $PYTHON"

mkdir -p "$CACHE"
# Two callers at once (make train and a test run) must not build the same venv together.
exec 9>"$VENV.lock"
if command -v flock >/dev/null 2>&1; then
    flock 9
fi
if [ -f "$MARKER" ] && [ -x "$VENV/bin/rasa" ]; then
    log "built meanwhile by another run: $VENV"
    echo "$VENV"
    exit 0
fi

log "creating $VENV (a first install of Rasa takes several minutes)"
"$PYTHON" -m venv --clear "$VENV" >&2 || die "could not create a virtualenv at $VENV"
# Build tools first, at the pinned versions, so sdist-only dependencies build as wheels.
BUILD_PINS="$(grep -E '^(setuptools|wheel)==' "$REQUIREMENTS" | tr '\n' ' ')"
# shellcheck disable=SC2086  # word splitting of the pin list is intended
"$VENV/bin/python" -m pip install --quiet $BUILD_PINS >&2 \
    || die "could not install $BUILD_PINS into $VENV"
"$VENV/bin/python" -m pip install -r "$REQUIREMENTS" >&2 \
    || die "pip install -r $REQUIREMENTS failed; see the output above"
"$VENV/bin/rasa" --version >&2 || die "rasa was installed but does not run"

date -u +%Y-%m-%dT%H:%M:%SZ >"$MARKER"
log "ready"
echo "$VENV"
