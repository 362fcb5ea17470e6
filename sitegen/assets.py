"""Static assets: copied under ``/static/``, CSS and JS fingerprinted by content hash.

``style.css`` becomes ``/static/style.3f2a1c9e.css`` so it can be cached for a year; the
templates ask for ``asset('style.css')`` and get the fingerprinted URL.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from .attachments import regular_file_problem
from .config import Config
from .errors import BuildError, Problem, display_path

FINGERPRINTED = (".css", ".js")


def fingerprint(name: str, data: bytes) -> str:
    """``css/style.css`` → ``css/style.<8 hex>.css``."""
    stem, ext = os.path.splitext(name)
    return f"{stem}.{hashlib.sha256(data).hexdigest()[:8]}{ext}"


def collect_static(config: Config) -> tuple[dict[str, str], dict[str, bytes | Path]]:
    """(logical name → site path, output file → content or source path) for ``static/``.

    Confined like ``content/``: a symbolic link leading out of ``static/`` (to
    ``/etc/passwd``, say) and anything but a regular file (a FIFO would block the build)
    are refused; raises :class:`BuildError` naming each.
    """
    urls: dict[str, str] = {}
    files: dict[str, bytes | Path] = {}
    problems: list[Problem] = []
    root = config.static_dir
    if not root.is_dir():
        return urls, files
    root_real = os.path.realpath(root)
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if name.startswith("."):
                continue
            path = Path(folder) / name
            problem = _confinement_problem(path, root_real, display_path(path, config.root))
            if problem is not None:
                problems.append(problem)
                continue
            logical = path.relative_to(root).as_posix()
            if path.suffix in FINGERPRINTED:
                data = path.read_bytes()
                published = "static/" + fingerprint(logical, data)
                files[published] = data
            else:
                published = "static/" + logical
                files[published] = path
            urls[logical] = "/" + published
    if problems:
        raise BuildError(problems)
    return urls, files


def _confinement_problem(path: Path, root_real: str, shown: str) -> Problem | None:
    """Why a file of ``static/`` may not be published: a link out of it, or not a regular file."""
    if path.is_symlink():
        real = os.path.realpath(path)
        if not real.startswith(root_real + os.sep):
            return Problem("static_symlink_outside", shown, None, {"target": os.readlink(path)})
    return regular_file_problem(str(path), shown)
