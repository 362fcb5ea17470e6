"""The claims of a planned build: every output it will write, with the source that wants it.

:func:`plan_claims` lists them for :func:`sitegen.addresses.ownership_problems`: pages by
their Markdown file, listings and search pages by the config key that names their folder,
tag pages by the first news item with the tag, redirects of a tag's former address by its
``former_slugs`` in the config, generated files by the config key that
makes them, copies by their source file.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from .addresses import Claim, config_claim, file_claims, shown_path
from .config import Config, config_key_lines
from .content import Document
from .feeds import feed_path
from .pages import REDIRECT_TEMPLATE, PageJob
from .search_pending import INDEX_DIR
from .site import Site
from .urls import output_file

# Generated files of the output root and the config key that makes each (for path:line).
_ROOT_FILES = {
    "sitemap.xml": ("claim_sitemap", "base_url"),
    "robots.txt": ("claim_robots", "base_url"),
    "_headers": ("claim_headers", "base_url"),
}
_LISTING_KEYS = {
    "news_list.html": ("claim_listing", "news_dir"),
    "tags.html": ("claim_tags", "tags_dir"),
    "search.html": ("claim_search", "search_dir"),
}


def plan_claims(
    config: Config,
    site: Site,
    jobs: Iterable[PageJob],
    asset_urls: Mapping[str, str],
    asset_files: Mapping[str, Path],
    media_files: Iterable[str],
) -> list[Claim]:
    """Every output of a planned build as a claim: pages, listings, generated files, copies."""
    shown = shown_path(config.source, config.root)
    lines = config_key_lines(config.source)
    claims = [_job_claim(config, job, shown, lines) for job in jobs]
    claims += [
        config_claim(feed_path(site, lang).lstrip("/"), "claim_feed", shown, lines, "languages")
        for lang in config.languages
    ]
    claims += [config_claim(name, kind, shown, lines, key) for name, (kind, key) in _ROOT_FILES.items()]
    if config.search:
        claims.append(config_claim(INDEX_DIR + "/", "claim_search_index", shown, lines, "search"))
    claims += file_claims(
        {url: config.static_dir / logical for logical, url in asset_urls.items()}, "claim_static", config.root
    )
    claims += file_claims(asset_files, "claim_file", config.root)
    content_shown = shown_path(config.content_dir, config.root)
    claims += [Claim(output, content_shown, None, "claim_image_variant") for output in media_files]
    return claims


def _job_claim(config: Config, job: PageJob, shown: str, lines: Mapping[str, int]) -> Claim:
    output = output_file(job.site_path)
    doc = job.document
    if doc is not None:
        return Claim(output, doc.source.shown, doc.line_of("slug") if doc.meta.slug else None, "claim_page")
    if job.template in _LISTING_KEYS:
        kind, key = _LISTING_KEYS[job.template]
        return config_claim(output, kind, shown, lines, f"{key}.{job.lang}", key)
    if job.template == REDIRECT_TEMPLATE:  # a tag's former address: its former_slugs in config.yaml
        key = str(job.depends[1])  # (target, tag key, ...): sitegen.pages._redirect_job
        where = f"tags.{key}.{job.lang}.former_slugs"
        return Claim(output, shown, lines.get(where, lines.get(f"tags.{key}")), "claim_tag_redirect")
    if job.template == "tag.html":  # the first news item with the tag asked for its page
        first = next((d for d in job.depends if isinstance(d, Document)), None)
        if first is not None:
            return Claim(output, first.source.shown, first.line_of("tags"), "claim_tag")
    return Claim(output, shown_path(config.templates_dir / job.template, config.root), None, "claim_not_found")
