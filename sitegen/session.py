"""What ``serve`` keeps in memory between rebuilds: config, Jinja environment, parsed sources."""

from __future__ import annotations

import os
from pathlib import Path

import jinja2

from .cache.files import Notices
from .config import Config
from .errors import Problem
from .incremental import Manifest, load_manifest, manifest_path, save_manifest
from .options import BuildOptions, load
from .output import build_lock
from .render import make_environment
from .sources import SourceParser
from .stage_render import warm_templates

_ConfigKey = tuple[BuildOptions, str, int, int, int, int]


class Session:
    """What ``serve`` keeps between rebuilds (the parsed sources and their index, the config,
    the templates).  With ``defer_search`` the pages go live without waiting for Pagefind
    (see :func:`sitegen.search.carry_index`)."""

    def __init__(self, defer_search: bool = False) -> None:
        self.parser: SourceParser | None = None
        self.defer_search = defer_search
        # serve: the caches are written after the browser was told to reload (save_deferred)
        self._unsaved: tuple[Config, Manifest, SourceParser] | None = None
        self._config: tuple[_ConfigKey | None, Config] | None = None
        self._environment: tuple[tuple[Path, Path | None], jinja2.Environment] | None = None
        # The manifest this session last saved, and the stat of the file it saved it to.
        self._manifest: tuple[Path, tuple[int, int, int, int], Manifest] | None = None

    def load(self, options: BuildOptions) -> Config:
        """The config, read and validated again only when its file changed (same bytes, same Config)."""
        key: _ConfigKey | None
        try:
            st = os.stat(options.config_path)
            key = (options, os.path.abspath(options.config_path), st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
        except OSError:
            key = None
        if key is None or self._config is None or self._config[0] != key:
            self._config = (key, load(options))
        return self._config[1]

    def environment(self, config: Config, bytecode_dir: Path | None) -> jinja2.Environment:
        """The Jinja environment, kept between rebuilds: Jinja loads a template again when its file
        changed.  A new one compiles every template at once, so the first edit does not wait."""
        key = (config.templates_dir, bytecode_dir)
        if self._environment is None or self._environment[0] != key:
            env = make_environment(config, bytecode_dir)
            warm_templates(env, {name for name in env.list_templates() if name.endswith(".html")})
            self._environment = (key, env)
        return self._environment[1]

    def save_deferred(self) -> None:
        """Write what the last build left to save (manifest, parse and body caches), under the lock.

        ``serve`` calls it once the tabs were told to reload, and the next build calls it
        first: it reads the manifest back from disk.
        """
        if self._unsaved is None:
            return
        config, manifest, parser = self._unsaved
        self._unsaved = None
        with build_lock(config.output_dir):
            save_caches(config, manifest, parser)
            self.remember(config, manifest)

    def remember(self, config: Config, manifest: Manifest) -> None:
        """Keep the manifest just saved, for the next build of this session (see :meth:`manifest`)."""
        path = manifest_path(config)
        stat = _file_stat(path)
        self._manifest = (path, stat, manifest) if stat is not None else None

    def manifest(self, config: Config, notices: Notices) -> Manifest:
        """The manifest of the output folder: the one this session saved last while its file is
        still that file (the cache writer replaces files, so another writer changes the inode),
        else read from disk (:func:`sitegen.incremental.load_manifest`)."""
        if self._manifest is not None:
            path, stat, manifest = self._manifest
            try:
                output_ino = os.stat(config.output_dir).st_ino
            except OSError:
                output_ino = None
            if path == manifest_path(config) and _file_stat(path) == stat and output_ino == manifest.output_ino:
                return manifest
        return load_manifest(config, notices)

    def defer_save(self, config: Config, manifest: Manifest, parser: SourceParser) -> None:
        self._unsaved = (config, manifest, parser)

    def parser_for(self, config: Config, use_cache: bool) -> SourceParser:
        if self.parser is None or self.parser.config != config:
            self.parser = SourceParser(config, use_cache)
        return self.parser


def _file_stat(path: Path) -> tuple[int, int, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def save_caches(config: Config, manifest: Manifest, parser: SourceParser) -> list[Problem]:
    """What the next build reads back: the output's manifest, the parse and body caches; the
    notices about the cache (entries ignored, files not saved)."""
    save_manifest(config, manifest, parser.cache.notices)
    return parser.save()
