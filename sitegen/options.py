"""What the command line asks for, and the config it loads (light imports: the fast path needs them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .config import Config, load_config

# Seconds one Markdown document may take to convert: a normal page takes milliseconds, a
# hostile one (8 000 "[") minutes; past this the document fails and the build goes on.
CONVERT_TIME_LIMIT = 10.0


@dataclass(frozen=True)
class BuildOptions:
    """What the command line asks for."""

    config_path: Path = Path("config.yaml")
    output: Path | None = None
    base_url: str | None = None
    drafts: bool = False
    strict: bool = False
    now: datetime | None = None
    jobs: int = 0  # processes for parsing and rendering; 0 = one per core
    cache: bool = True  # False: ignore and do not write .cache/ (a clean build)
    progress: bool | None = None  # None: a bar only when stderr is a terminal
    stats: bool = False  # print pages by kind and time per stage even when stderr is not a terminal
    time_limit: float = CONVERT_TIME_LIMIT  # seconds per document's conversion (see sitegen.parallel)


def load(options: BuildOptions) -> Config:
    """Stage 0: the validated config with command-line overrides applied."""
    config = load_config(options.config_path)
    return config.with_overrides(base_url=options.base_url, output_dir=options.output)
