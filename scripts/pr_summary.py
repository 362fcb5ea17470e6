"""What a pull request publishes, as the Markdown of its job summary.

The pull-request workflow builds the base branch and the proposed tree with the same
``--now`` into two folders; this script compares them page by page and adds what the
proposed tree holds back: the scheduled items and when they go live, the drafts, and the
translations that are missing or older than their original.

    python scripts/pr_summary.py --base base-site --head public --now 2026-12-01T09:00:00+01:00 \\
        >> "$GITHUB_STEP_SUMMARY"

The text is in the messages' language of the site (Italian here), from the message catalogue.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sitegen.messages import messages_language, render_message


@dataclass(frozen=True)
class PageChanges:
    """Addresses of the pages the proposed tree adds, changes and removes, and how many other files differ."""

    new: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    other_files: int = 0


@dataclass(frozen=True)
class HeldBack:
    """What the proposed tree holds that the site does not show yet, and its translations to do."""

    scheduled: tuple[tuple[str, str], ...] = ()  # (source, when it goes live, ISO)
    drafts: tuple[str, ...] = ()
    translations: tuple[tuple[str, str, str], ...] = field(default=())  # (original, language, status text)


def _files(folder: Path) -> dict[str, bytes]:
    if not folder.is_dir():
        return {}
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def address(rel: str) -> str:
    """The address of an output file: ``notizie/x/index.html`` → ``/notizie/x/``."""
    return "/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)


def compare_sites(base: Path, head: Path, ignore: Sequence[str] = ("pagefind/", "deploy-state.json")) -> PageChanges:
    """Page by page, what differs between two built sites (the search index is left out: it follows the pages)."""
    before = {k: v for k, v in _files(base).items() if not k.startswith(tuple(ignore))}
    after = {k: v for k, v in _files(head).items() if not k.startswith(tuple(ignore))}

    def pages(names: set[str]) -> tuple[str, ...]:
        return tuple(sorted(address(n) for n in names if n.endswith(".html")))

    new, removed = set(after) - set(before), set(before) - set(after)
    changed = {n for n in set(after) & set(before) if after[n] != before[n]}
    others = sum(not n.endswith(".html") for n in new | removed | changed)
    return PageChanges(pages(new), pages(changed), pages(removed), others)


def held_back(config_path: Path, now: datetime, lang: str) -> HeldBack:
    """Scheduled items, drafts and translations to do in the tree at ``config_path`` (the generator's rules)."""
    from sitegen.build import build_in_memory
    from sitegen.options import BuildOptions, load
    from sitegen.site import DRAFT, SCHEDULED
    from sitegen.translations import MISSING, outdated_text, translation_rows

    options = BuildOptions(config_path=config_path, now=now, cache=False, progress=False)
    site = build_in_memory(load(options), options).site
    scheduled = tuple(
        (s.document.source.shown, s.goes_live.isoformat())
        for s in site.skipped
        if s.reason == SCHEDULED and s.goes_live
    )
    drafts = tuple(s.document.source.shown for s in site.skipped if s.reason == DRAFT)
    rows = tuple(
        (
            row.original,
            row.lang,
            render_message("translations_missing", lang, {})
            if row.status == MISSING
            else outdated_text(row, row.original_date.tzinfo if row.original_date else None, lang),
        )
        for row in translation_rows(site)
    )
    return HeldBack(scheduled, drafts, rows)


def _links(addresses: Sequence[str], base_url: str) -> list[str]:
    return [f"- [{a}]({base_url.rstrip('/')}{a})" if base_url else f"- `{a}`" for a in addresses]


def summary_markdown(changes: PageChanges, held: HeldBack, base_url: str, lang: str) -> str:
    """The job summary: pages new, changed and removed (with their addresses), then what is held back."""

    def text(code: str, **params: object) -> str:
        return render_message(code, lang, params)

    lines = [f"## {text('pr_title')}", ""]
    sections = (("pr_new", changes.new), ("pr_changed", changes.changed), ("pr_removed", changes.removed))
    if not any(pages for _code, pages in sections):
        lines.append(text("pr_no_page_changes"))
    for code, pages in sections:
        if pages:
            lines += [f"### {text(code, count=len(pages))}", "", *_links(pages, base_url), ""]
    if changes.other_files:
        lines += [text("pr_other_files", count=changes.other_files), ""]
    if held.scheduled:
        lines += [f"### {text('pr_scheduled', count=len(held.scheduled))}", ""]
        lines += [f"- `{source}`: {when}" for source, when in held.scheduled] + [""]
    if held.drafts:
        lines += [f"### {text('pr_drafts', count=len(held.drafts))}", ""]
        lines += [f"- `{source}`" for source in held.drafts] + [""]
    if held.translations:
        lines += [f"### {text('pr_translations', count=len(held.translations))}", ""]
        lines += [f"- `{original}` → {code}: {status}" for original, code, status in held.translations] + [""]
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", type=Path, required=True, help="the base branch's built site")
    parser.add_argument("--head", type=Path, required=True, help="the proposed tree's built site")
    parser.add_argument("--now", type=datetime.fromisoformat, required=True, help="the --now of both builds")
    parser.add_argument("--config", type=Path, default=Path("config.yaml"), help="the proposed tree's config")
    parser.add_argument("--base-url", default="", help="where the pages will be published (default: the config's)")
    args = parser.parse_args(argv)
    from sitegen.options import BuildOptions, load

    config = load(BuildOptions(config_path=args.config))
    lang = messages_language(config.messages_language)
    changes = compare_sites(args.base, args.head)
    base_url = args.base_url or config.base_url  # where the pages will be, once published
    sys.stdout.write(summary_markdown(changes, held_back(args.config, args.now, lang), base_url, lang))
    return 0


if __name__ == "__main__":
    sys.exit(main())
