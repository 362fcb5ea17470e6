"""One owner per address: every output file is claimed once, and a second claimant is an error.

The output folder is filled from many places: pages (one per Markdown source), listings,
tag pages, search pages, 404 pages, feeds, the sitemap, ``robots.txt``, ``_headers``,
Pagefind's ``pagefind/`` folder, the files of ``static/``, the files of ``content/`` and
the image variants.  Before this check each later writer replaced an earlier one in
silence: an extensionless file ``content/it/en`` deleted the whole English site, a
``content/robots.txt`` was dropped, ``news_dir: {it: en}`` replaced the English home page.

Every writer now states a :class:`Claim` (the output path, the source that wants it with
its ``path:line``, and what kind of thing it is); :func:`ownership_problems` is a pure
function of those claims and reports every clash, whatever the kinds:

* two claims on the same file;
* a file where another claim needs a folder (``en`` and ``en/index.html``);
* anything inside a folder claimed whole (``pagefind/``, which Pagefind writes itself).

Names that cannot be part of an address at all (``?`` and ``#`` start a URL's query and
fragment) are refused earlier, by :func:`sitegen.urls.unaddressable_char`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .errors import Problem
from .messages import Localized, render_message


@dataclass(frozen=True)
class Claim:
    """One writer's claim on one output path.

    ``output`` is relative to the output folder (``rete/index.html``, ``robots.txt``); a
    folder claimed whole ends with ``/`` (``pagefind/``).  ``where`` is the source shown
    in messages (relative to the project), ``line`` its line (``None``: the whole file);
    ``kind`` names a ``claim_*`` entry of the message catalogue.
    """

    output: str
    where: str
    line: int | None
    kind: str

    @property
    def shown(self) -> str:
        return self.where if self.line is None else f"{self.where}:{self.line}"

    @property
    def address(self) -> str:
        """The address as a visitor types it: ``/rete/`` for ``rete/index.html``."""
        path = self.output
        if path == "index.html" or path.endswith("/index.html"):
            path = path[: -len("index.html")]
        return "/" + path


# Who is reported when two claim one address: the generated things come first, then the
# pages (shallowest first: a folder is named by its index page), then the files an editor
# copied, so that the message lands on the one to rename.
_RANK = {
    "claim_search_index": 0,
    "claim_feed": 0,
    "claim_sitemap": 0,
    "claim_robots": 0,
    "claim_headers": 0,
    "claim_listing": 1,
    "claim_tags": 1,
    "claim_search": 1,
    "claim_static": 2,
    "claim_image_variant": 2,
    "claim_tag": 3,
    "claim_page": 4,
    "claim_not_found": 5,
    "claim_file": 6,
}


def ownership_problems(claims: Iterable[Claim]) -> list[Problem]:
    """Every clash between ``claims``, reported on the later claimant naming the earlier one.

    Pure: the result depends only on the claims (not on their order), and any two claims
    whose outputs are equal, or of which one is a file where the other needs a folder, or
    one lies inside a folder claimed whole, give a problem.  (Linear but for the sort: at
    10 000 pages it runs on every build; the sort and the messages' order only once
    :func:`_may_clash` found a clash.)
    """
    claims = list(claims)
    if not _may_clash(claims):
        return []
    ordered = sorted(
        claims, key=lambda c: (_RANK.get(c.kind, 9), c.output.count("/"), c.output, c.where, c.line or 0, c.kind)
    )
    files: dict[str, Claim] = {}  # output file → first claim
    folders: dict[str, Claim] = {}  # folder every claim inside it needs → first claim needing it
    whole: dict[str, Claim] = {}  # folder claimed whole → its claim
    problems: list[Problem] = []
    last: Claim | None = None
    for claim in ordered:
        if claim == last:  # the same claim twice (equal claims sort next to each other)
            continue
        last = claim
        name = claim.output.rstrip("/")
        ancestors = _ancestors(name)
        other = _first_clash(name, ancestors, files, folders, whole)
        if other is not None:
            problems.append(_problem(claim, other))
            continue
        (whole if claim.output.endswith("/") else files)[name] = claim
        for folder in ancestors:
            folders.setdefault(folder, claim)
        if name.endswith("/index.html"):  # a folder is best named by its own index page
            folders[name[: -len("/index.html")]] = claim
        if claim.output.endswith("/"):
            folders.setdefault(name, claim)
    return problems


def _may_clash(claims: list[Claim]) -> bool:
    """Whether :func:`ownership_problems` could find a clash: two unequal claims on one output,
    or an output that another one needs as a folder (which covers a file inside a folder claimed
    whole).  Never false when there is one; a cheap pass without the sort."""
    names: dict[str, Claim] = {}
    folders: set[str] = set()
    for claim in claims:
        name = claim.output.rstrip("/")
        first = names.setdefault(name, claim)
        if first is not claim and first != claim:
            return True
        cut = name.rfind("/")
        while cut > 0:  # its folders, from the nearest: the farther ones are in already if it is
            folder = name[:cut]
            if folder in folders:
                break
            folders.add(folder)
            cut = name.rfind("/", 0, cut)
    return not folders.isdisjoint(names)


def _first_clash(
    name: str, ancestors: list[str], files: dict[str, Claim], folders: dict[str, Claim], whole: dict[str, Claim]
) -> Claim | None:
    found = files.get(name) or whole.get(name) or folders.get(name)  # same file; a file where a folder is
    if found is not None:
        return found
    for folder in ancestors:
        found = files.get(folder) or whole.get(folder)  # inside a file, or inside a folder claimed whole
        if found is not None:
            return found
    return None


def _ancestors(path: str) -> list[str]:
    """``a/b/c.html`` → ``["a", "a/b"]``."""
    found = []
    cut = path.find("/")
    while cut > 0:
        found.append(path[:cut])
        cut = path.find("/", cut + 1)
    return found


def _problem(claim: Claim, other: Claim) -> Problem:
    return Problem(
        "address_claimed_twice",
        claim.where,
        claim.line,
        {
            "url": claim.address if len(claim.address) <= len(other.address) else other.address,
            "what": _noun(claim.kind),
            "other": other.shown,
            "other_what": _noun(other.kind),
        },
    )


def _noun(kind: str) -> Localized:
    return Localized(it=render_message(kind, "it", {}), en=render_message(kind, "en", {}))


# --- claims of the usual writers ------------------------------------------------------


def file_claims(files: Mapping[str, Path], kind: str, root: Path) -> list[Claim]:
    """Claims of copied files: output path (``"/media/a.pdf"`` or ``"media/a.pdf"``) → source file."""
    return [Claim(output.lstrip("/"), shown_path(source, root), None, kind) for output, source in files.items()]


def config_claim(output: str, kind: str, config_shown: str, key_lines: Mapping[str, int], *keys: str) -> Claim:
    """A generated file, claimed by the config key that asks for it (the first of ``keys`` written)."""
    line = next((key_lines[key] for key in keys if key in key_lines), None)
    return Claim(output, config_shown, line, kind)


def shown_path(path: Path, root: Path) -> str:
    try:
        return os.path.relpath(path, root)
    except ValueError:  # another drive (Windows): the absolute path is clearer anyway
        return str(path)
