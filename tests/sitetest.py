"""Helpers shared by the test modules (import as ``from sitetest import ...``)."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# Fixture builds happen at a fixed moment, so that "is it live" never depends on today.
FIXED_NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
NOW_ARG = FIXED_NOW.isoformat()


def copy_site(name: str, destination: Path) -> Path:
    """Copy fixture site ``name`` into ``destination``, pointing it at the repo's templates and static files."""
    source = FIXTURES / "sites" / name
    shutil.copytree(source, destination)
    config = destination / "config.yaml"
    text = config.read_text(encoding="utf-8")
    text = text.replace("@TEMPLATES@", str(REPO / "templates")).replace("@STATIC@", str(REPO / "static"))
    config.write_text(text, encoding="utf-8")
    return destination


def tree(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` by relative posix path, with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
