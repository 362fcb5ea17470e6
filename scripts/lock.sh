#!/usr/bin/env bash
# Regenerate the lock files from pyproject.toml: exact versions with the hashes of every file
# on PyPI (all platforms), for `pip install --require-hashes`. Run after changing a dependency
# in pyproject.toml; Dependabot updates them weekly otherwise.
#
#   bash scripts/lock.sh            # both files, keeping the versions already locked if possible
#   bash scripts/lock.sh --upgrade  # the newest versions pyproject.toml allows
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PIP_TOOLS=pip-tools==7.6.2
if ! .venv/bin/python -P -m piptools --version >/dev/null 2>&1; then
    .venv/bin/python -m pip install --quiet "$PIP_TOOLS"
fi
# No index URL or find-links in the files: they must install the same from any machine.
common=(--quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links "$@")
.venv/bin/python -P -m piptools compile "${common[@]}" --output-file requirements/runtime.txt pyproject.toml
.venv/bin/python -P -m piptools compile "${common[@]}" --extra test --output-file requirements/test.txt pyproject.toml
