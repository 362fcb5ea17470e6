"""Compiled templates kept in the cache, each entry authenticated by a key outside the project.

Compiling the four templates a news page needs is a large part of a one-edit rebuild, and
each ``build`` is a new process.  Compiled templates are code, so an entry is used only when
its HMAC-SHA256 tag verifies with a secret key that lives outside the project and outside
the cache (:func:`secret_key`): whoever can write the cache (a CI cache restored from a pull
request, a flipped byte) cannot make this process run code, because nothing is unmarshalled
before the tag was checked with :func:`hmac.compare_digest`.  Without a usable key the cache
is simply not used and templates are compiled as before.

An entry is ``compiled/<template digest>.jinja`` (template digest: the SHA-256 of the
template's name and file path), written by :func:`sitegen.cache.files.write_atomic`: a header
line ``sitegen-compiled <version> <tag>`` then the marshalled code.  The tag covers everything
that determines that code: the template digest, the SHA-1 of the source Jinja gives the
bucket, the compile digest (Jinja's and Python's versions, the environment's settings that
change compilation) and the code bytes.  An entry whose tag does not verify is ignored in
silence (a new key, as in every CI run, makes every entry unverifiable) and written afresh.
"""

from __future__ import annotations

import hashlib
import hmac
import importlib.util
import marshal
import os
import posixpath
import stat
import sys
import tempfile
from pathlib import Path
from types import CodeType

import jinja2

from .cache.files import write_atomic
from .cache.prune import prune_media

FOLDER = "compiled"  # under config.cache_dir
KEY_FOLDER = "iom-ilsh-site"  # under $XDG_STATE_HOME (default ~/.local/state)
KEY_FILE = "template-key"
KEY_SIZE = 32
_SUFFIX = ".jinja"
_MAGIC = b"sitegen-compiled"
_VERSION = b"1"
_TAG_HEX = 64  # HMAC-SHA256, hex
_ENTRY_MAX = 16 << 20  # the largest template here compiles to ~20 KB


def state_folder() -> Path | None:
    """``$XDG_STATE_HOME/iom-ilsh-site``, else ``~/.local/state/iom-ilsh-site``; a relative
    ``XDG_STATE_HOME`` is ignored (XDG spec); ``None`` when no home folder is known."""
    base = os.environ.get("XDG_STATE_HOME", "")
    if os.path.isabs(base):
        return Path(base) / KEY_FOLDER
    home = os.path.expanduser("~")  # unchanged ("~") when HOME is unset and no user entry exists
    return Path(home) / ".local" / "state" / KEY_FOLDER if os.path.isabs(home) else None


def secret_key(folder: Path | None = None) -> bytes | None:
    """The 32-byte key that authenticates compiled templates, created once (mode 0600); ``None``
    when it cannot be created or is not trustworthy: not a regular file (a symlink, a folder),
    not ours, readable or writable by others, not 32 bytes, or in a folder others can write."""
    folder = state_folder() if folder is None else folder
    if folder is None:
        return None
    path = folder / KEY_FILE
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    except OSError:
        return None
    try:
        _create_key(folder, path)
        return _read_key(path)
    except OSError:
        return None


def _read_key(path: Path) -> bytes | None:
    folder = os.lstat(path.parent)
    if not stat.S_ISDIR(folder.st_mode) or folder.st_uid != os.geteuid() or folder.st_mode & 0o022:
        return None
    found = _read_regular(path, KEY_SIZE)
    if found is None:
        return None
    data, info = found
    if info.st_uid != os.geteuid() or info.st_mode & 0o077:
        return None
    return data if len(data) == KEY_SIZE else None


def _create_key(folder: Path, path: Path) -> None:
    """Write a new random key next to ``path`` (O_EXCL, 0600) and link it into place: a reader
    sees no key or the whole key; of two builds creating it at once, the first link wins."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{KEY_FILE}.")  # O_EXCL, mode 0600
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(os.urandom(KEY_SIZE))
            stream.flush()
            os.fsync(stream.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass  # another build made it first: use that one
    finally:
        os.unlink(temporary)


def compile_digest(environment: jinja2.Environment, name: str) -> str:
    """Digest of what, besides the source, decides a template's code: Jinja's and Python's
    versions and the environment's settings the compiler reads (for template ``name``)."""
    autoescape = environment.autoescape(name) if callable(environment.autoescape) else environment.autoescape
    settings = (
        jinja2.__version__,
        sys.version,
        importlib.util.MAGIC_NUMBER.hex(),
        environment.block_start_string,
        environment.block_end_string,
        environment.variable_start_string,
        environment.variable_end_string,
        environment.comment_start_string,
        environment.comment_end_string,
        environment.line_statement_prefix,
        environment.line_comment_prefix,
        environment.trim_blocks,
        environment.lstrip_blocks,
        environment.newline_sequence,
        environment.keep_trailing_newline,
        environment.optimized,
        environment.is_async,
        autoescape,
        sorted(environment.extensions),
        sorted(environment.filters),
        sorted(environment.tests),
        type(environment).__qualname__,
        environment.code_generator_class.__qualname__,
    )
    return hashlib.sha256(repr(settings).encode()).hexdigest()


class VerifiedBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates in ``folder``, each used only when its tag verifies with ``key``.

    ``compiled`` counts the templates this process compiled (nothing usable in the cache)."""

    def __init__(self, folder: Path, key: bytes) -> None:
        self.folder = folder
        self._key = key
        self._names: dict[str, str] = {}  # bucket key → template name (for the compile digest)
        self.compiled = 0

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        key = template_digest(name, filename)
        self._names[key] = name
        return key

    def _tag(self, bucket: jinja2.bccache.Bucket, code: bytes) -> bytes:
        digest = hmac.new(self._key, digestmod=hashlib.sha256)
        name = self._names.get(bucket.key, "")
        for part in (bucket.key.encode(), bucket.checksum.encode(), compile_digest(bucket.environment, name).encode()):
            digest.update(len(part).to_bytes(8, "big") + part)
        digest.update(code)
        return digest.hexdigest().encode("ascii")

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = _read_entry(self._path(bucket))
        if data is None:  # absent, not a regular file, too large, unreadable: compiled afresh
            self.compiled += 1
            return
        header, _, code = data.partition(b"\n")
        parts = header.split(b" ")
        tag = parts[2] if len(parts) == 3 and parts[:2] == [_MAGIC, _VERSION] else b""
        if len(tag) != _TAG_HEX or not hmac.compare_digest(tag, self._tag(bucket, code)):
            self.compiled += 1
            return  # damaged, foreign or of another key: never unmarshalled
        try:
            loaded = marshal.loads(code)  # verified: written by this generator with this key
        except (EOFError, ValueError, TypeError):
            loaded = None
        if not isinstance(loaded, CodeType):
            self.compiled += 1
            return
        bucket.code = loaded

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.code is None:
            return
        code = marshal.dumps(bucket.code)
        try:
            write_atomic(self._path(bucket), b"%s %s %s\n" % (_MAGIC, _VERSION, self._tag(bucket, code)) + code)
        except OSError:
            pass  # a cache that cannot be written is only slower

    def clear(self) -> None:
        prune_media(self.folder, set())

    def _path(self, bucket: jinja2.bccache.Bucket) -> Path:
        return self.folder / (bucket.key + _SUFFIX)


def _read_entry(path: Path) -> bytes | None:
    """The bytes of the entry at ``path``, a regular file of at most :data:`_ENTRY_MAX` bytes."""
    found = _read_regular(path, _ENTRY_MAX)
    return None if found is None else found[0]


def _read_regular(path: Path, limit: int) -> tuple[bytes, os.stat_result] | None:
    """The bytes and status of the regular file at ``path`` if it holds at most ``limit`` bytes;
    ``None`` for anything else (never a link followed, never a FIFO waited on) or an error."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        with os.fdopen(os.dup(handle), "rb") as stream:
            return stream.read(limit + 1), info
    except OSError:
        return None
    finally:
        os.close(handle)


def template_digest(name: str, filename: str | None) -> str:
    """Digest of a template's name and file path (the name of its entry)."""
    return hashlib.sha256(f"{name}\0{filename}".encode()).hexdigest()


def bytecode_cache(folder: Path) -> VerifiedBytecodeCache | None:
    """The cache of compiled templates in ``folder``, or ``None`` when there is no usable key."""
    key = secret_key()
    return None if key is None else VerifiedBytecodeCache(folder, key)


def prune_compiled(folder: Path, templates_dir: Path) -> None:
    """Remove the entries in ``folder`` of templates that no longer exist in ``templates_dir``."""
    loader = jinja2.FileSystemLoader(str(templates_dir))
    used = set()
    for name in loader.list_templates():
        filename = os.path.normpath(posixpath.join(str(templates_dir), *name.split("/")))  # as Jinja's loader
        used.add(template_digest(name, filename) + _SUFFIX)
    prune_media(folder, used)
