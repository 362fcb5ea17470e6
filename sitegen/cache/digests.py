"""The digests every cache key is made of: the generator's code, the config, the output folder.

Vocabulary (the one naming scheme, see :mod:`sitegen.cache`): a *digest* is the SHA-256
(hex) of named inputs, and a function or field called ``<thing>_digest`` returns or holds
the digest of exactly the inputs its docstring lists.
"""

from __future__ import annotations

import functools
import hashlib
import os
from dataclasses import fields
from pathlib import Path
from types import MappingProxyType

from ..config import Config
from .files import VERSION


@functools.cache
def generator_digest() -> str:
    """Digest of the generator's own source and the cache format: a code change invalidates every
    cache entry.  Taken once per process: the code that runs is the code loaded at start."""
    digest = hashlib.sha256(f"cache format {VERSION}".encode())
    package = Path(__file__).resolve().parent.parent
    for name in _modules(str(package), ""):
        with open(os.path.join(package, name), "rb") as handle:
            digest.update(name.encode() + b"\0" + handle.read() + b"\0")
    return digest.hexdigest()


def _modules(folder: str, prefix: str) -> list[str]:
    """The package's ``.py`` files below ``folder`` (``cache/codec.py``), sorted; ``__pycache__``
    is not walked (this runs on the no-change path)."""
    names: list[str] = []
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        if entry.name.endswith(".py"):
            names.append(prefix + entry.name)
        elif entry.is_dir() and entry.name != "__pycache__" and not entry.name.startswith("."):
            names += _modules(entry.path, f"{prefix}{entry.name}/")
    return names


def config_digest(config: Config, skip: frozenset[str]) -> str:
    """Digest of every config value but those named in ``skip`` (the one loop over the config)."""
    digest = hashlib.sha256()
    for item in fields(config):
        if item.name not in skip:
            value = getattr(config, item.name)
            value = dict(value) if isinstance(value, MappingProxyType) else value
            digest.update(f"{item.name}={value!r}\0".encode())
    return digest.hexdigest()


def output_digest(config: Config) -> str:
    """Short digest of the output folder's path: the records of one output are kept apart from
    another's (``--output`` may differ between runs)."""
    return hashlib.sha256(str(config.output_dir).encode()).hexdigest()[:16]
