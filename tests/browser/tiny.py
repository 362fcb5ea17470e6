"""Tiny hand-written pages for the negative tests: one good page to start from, and helpers to
write broken variants into a temporary folder."""

from __future__ import annotations

from pathlib import Path

CSS = """:root { color-scheme: light dark; }
body { font: 1rem/1.5 sans-serif; margin: 0; color: #1a1a1a; background: #fff; }
@media (prefers-color-scheme: dark) { body { color: #eee; background: #111; } a { color: #9cf; } }
.skip-link { position: absolute; left: -999px; }
.skip-link:focus { left: 0; }
a:focus-visible { outline: 3px solid currentColor; }
"""

GOOD = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:">
<meta name="referrer" content="strict-origin-when-cross-origin">
<title>{title}</title>
<link rel="stylesheet" href="/style.css">
<link rel="icon" href="data:,">
{head}
</head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
<header>
<div class="lang-switch"><a href="{other_href}" hreflang="{other_lang}" lang="{other_lang}">{other_name}</a></div>
<nav aria-label="Main"><ul><li><a href="/">Home</a></li><li><a href="/en/">English</a></li></ul></nav>
</header>
<main id="main" tabindex="-1">
<h1>{title}</h1>
{body}
</main>
</body>
</html>
"""


def page(
    title="Pagina di prova",
    lang="it",
    head="",
    body="<p>Testo.</p>",
    other_href="/en/",
    other_lang="en",
    other_name="English",
) -> str:
    return GOOD.format(
        title=title,
        lang=lang,
        head=head,
        body=body,
        other_href=other_href,
        other_lang=other_lang,
        other_name=other_name,
    )


def write_site(root: Path, files: dict[str, str], css: str = CSS) -> Path:
    """A tiny site: ``files`` maps relative paths to text; a stylesheet and an English home are added."""
    root.mkdir(parents=True, exist_ok=True)
    everything = {
        "style.css": css,
        "en/index.html": page("Test page", lang="en", other_href="/", other_lang="it", other_name="Italiano"),
        **files,
    }
    for rel, text in everything.items():
        f = root / rel
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(text, encoding="utf-8")
    return root
