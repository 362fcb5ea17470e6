"""Static assets: copied under ``/static/``, CSS and JS fingerprinted by content hash.

``style.css`` becomes ``/static/style.3f2a1c9e.css`` so it can be cached for a year; the
templates ask for ``asset('style.css')`` and get the fingerprinted URL.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from .config import Config

FINGERPRINTED = (".css", ".js")


def fingerprint(name: str, data: bytes) -> str:
    """``css/style.css`` → ``css/style.<8 hex>.css``."""
    stem, ext = os.path.splitext(name)
    return f"{stem}.{hashlib.sha256(data).hexdigest()[:8]}{ext}"


def collect_static(config: Config) -> tuple[dict[str, str], dict[str, bytes | Path]]:
    """(logical name → site path, output file → content or source path) for ``static/``."""
    urls: dict[str, str] = {}
    files: dict[str, bytes | Path] = {}
    root = config.static_dir
    if not root.is_dir():
        return urls, files
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if name.startswith("."):
                continue
            path = Path(folder) / name
            logical = path.relative_to(root).as_posix()
            if path.suffix in FINGERPRINTED:
                data = path.read_bytes()
                published = "static/" + fingerprint(logical, data)
                files[published] = data
            else:
                published = "static/" + logical
                files[published] = path
            urls[logical] = "/" + published
    return urls, files
