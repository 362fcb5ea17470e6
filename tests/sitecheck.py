"""Checks of a built site that need no browser: links, anchors, head elements."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class PageParser(HTMLParser):
    """Collects what the checks look at in one HTML page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        # <a rel="external">: links to other sites that a visitor may choose to follow (the
        # share links of news items); the page itself loads nothing from them.
        self.external_links: list[str] = []
        self.ids: set[str] = set()
        self.meta: dict[str, str] = {}
        self.link_rels: list[dict] = []
        self.html_lang = None
        self.title = ""
        self._in_title = False
        self.json_ld: list[str] = []
        self._in_json = False
        self.first_link_class = None
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "html":
            self.html_lang = attrs.get("lang")
        if tag == "title":
            self._in_title = True
        if tag == "meta":
            key = attrs.get("name") or attrs.get("property") or attrs.get("http-equiv")
            if key:
                self.meta.setdefault(key, attrs.get("content", ""))
        if tag == "link":
            self.link_rels.append(attrs)
        if tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_json = True
            self.json_ld.append("")
        if tag == "a" and self.first_link_class is None:
            self.first_link_class = attrs.get("class", "")
        if tag == "a" and "external" in (attrs.get("rel") or "").split():
            self.external_links.append(attrs.get("href") or "")
            return
        for name in ("href", "src"):
            if attrs.get(name) is not None and not (
                tag == "link" and attrs.get("rel") in ("canonical", "alternate") and attrs.get("hreflang")
            ):
                if tag == "link" and attrs.get("rel") == "canonical":
                    continue
                self.links.append(attrs[name])
        if attrs.get("srcset"):
            self.links += [part.strip().split()[0] for part in attrs["srcset"].split(",") if part.strip()]

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        if tag == "script":
            self._in_json = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        if self._in_json:
            self.json_ld[-1] += data


def parse_page(path: Path) -> PageParser:
    parser = PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def html_pages(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


def url_to_file(out: Path, base_path: str, url_path: str) -> Path | None:
    """The output file a root-relative URL under ``base_path`` serves, or None if outside/absent."""
    if not url_path.startswith(base_path):
        return None
    rel = unquote(url_path[len(base_path) :])
    target = out / rel
    if url_path.endswith("/"):
        target = target / "index.html"
    return target if target.is_file() else None


def broken_links(out: Path, base_path: str = "/") -> list[str]:
    """Every internal link, asset or #anchor that does not resolve, as 'page: link (reason)'."""
    parsed = {page: parse_page(page) for page in html_pages(out)}
    problems = []
    for page, info in parsed.items():
        for link in info.links:
            parts = urlsplit(link)
            if parts.scheme in ("data", "mailto", "tel") or link.startswith("data:"):
                continue
            if parts.scheme or parts.netloc:
                problems.append(f"{page.relative_to(out)}: {link} (absolute URL in a link)")
                continue
            if not parts.path:
                target = page
            elif not parts.path.startswith("/"):
                problems.append(f"{page.relative_to(out)}: {link} (relative link)")
                continue
            else:
                target = url_to_file(out, base_path, parts.path)
            if target is None:
                problems.append(f"{page.relative_to(out)}: {link} (no such file under {base_path})")
                continue
            if parts.fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else parse_page(target).ids
                if unquote(parts.fragment) not in ids:
                    problems.append(f"{page.relative_to(out)}: {link} (no id '{parts.fragment}')")
    return problems


def json_ld(info: PageParser) -> list[dict]:
    return [json.loads(text) for text in info.json_ld]
