"""Stage 7: the search index (Pagefind) of the new pages, made in the staging folder.

The index goes live with exactly the pages it describes (see :mod:`sitegen.search`);
``serve`` (``defer``) gives the new pages the live index as it is and brings it up to date
in the background (:mod:`sitegen.search_job`).
"""

from __future__ import annotations

import shutil

from .cache.digests import output_digest
from .config import Config
from .search_pending import INDEX_DIR
from .target import DiskTarget, OutputTarget


def index(
    config: Config, target: OutputTarget, changed: frozenset[str] | None, defer: bool, cache: bool = True
) -> bool:
    """Index the staged pages; returns whether the index is left behind them (``serve``: pending).

    ``changed`` is every output file written anew or removed (``None``: not known).  A
    target in memory has no index.  With ``cache`` false (``--no-cache``) the record of each
    page's place is neither read nor written (:mod:`sitegen.search_shards`): every page is read.
    """
    staging = target.staging
    if staging is None:
        return False
    defer = defer and config.search
    if not config.search:
        if isinstance(target, DiskTarget) and target.reused and (staging / INDEX_DIR).exists():
            shutil.rmtree(staging / INDEX_DIR)  # a reused spare's: no index is kept without search
        return False
    # A reused spare's index files are hard links into the live site's: both calls below
    # replace them (links to the shards that are still right, Pagefind's new folders for
    # the others), never write through them.
    # Imported here: a build without search does not load the indexing (Pagefind's runner,
    # the shards, the text copies), a few milliseconds of a one-edit rebuild.
    from .search import carry_index, index_site

    if defer:
        return not carry_index(staging, target.live, changed)
    record = config.cache_dir / f"search-shards-{output_digest(config)}.json" if cache else None
    index_site(staging, target.live, changed, record)  # in the staging folder: live with exactly these pages
    return False
