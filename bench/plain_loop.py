#!/usr/bin/env python3
"""The baselines: the simplest loops that turn the corpus into pages.

    python bench/plain_loop.py DIR OUT [--jobs 2] [--reuse-converter]

For each ``DIR/content/**/*.md``: read it, split the front matter, load it with
``yaml.CSafeLoader``, convert the body to HTML, render a small Jinja2 template and write
``OUT/<slug>/index.html``; spread over a ``multiprocessing`` pool of ``--jobs`` processes.
No listings, tags, feeds, link checks or atomic output: it is the floor a real generator
is compared with, not a generator.  Two loops, differing only in the Markdown converter:

* default, the **per-document loop** (the first baseline, kept for the history of
  ``bench/README.md``): ``markdown.markdown(body, extensions=...)`` builds a new
  converter for every document, with the extensions the generator had when the loop was
  written (tables, footnotes, attr_list, toc, smarty, abbr, def_list).  Building a
  converter costs about as much as converting a page, so this floor is about twice as
  slow as it needs to be (issue #16);
* ``--reuse-converter``, the **reused-converter loop** (issue #16's floor): one
  ``markdown.Markdown`` per process with the generator's current extensions
  (:data:`GENERATOR_EXTENSIONS`: ``extra`` spelled out, ``toc``, ``smarty``,
  ``sane_lists``), ``reset()`` between documents, as any generator written with care
  would do.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from multiprocessing import Pool
from pathlib import Path

import jinja2
import markdown
import yaml

EXTENSIONS = ["tables", "footnotes", "attr_list", "toc", "smarty", "abbr", "def_list"]
# sitegen.markdown_render.EXTENSIONS (copied, not imported: the loop must not run our code)
GENERATOR_EXTENSIONS = [
    "abbr",
    "attr_list",
    "def_list",
    "fenced_code",
    "footnotes",
    "md_in_html",
    "tables",
    "toc",
    "smarty",
    "sane_lists",
]

TEMPLATE = """<!DOCTYPE html>
<html lang="it">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ meta.title }}</title>
<meta name="description" content="{{ meta.description }}">
</head>
<body>
<header><a href="/">Home</a></header>
<main>
<article>
<h1>{{ meta.title }}</h1>
{% if meta.date %}<p><time datetime="{{ meta.date }}">{{ meta.date }}</time></p>{% endif %}
{{ body }}
{% if meta.tags %}<ul class="tags">{% for tag in meta.tags %}<li>{{ tag }}</li>{% endfor %}</ul>{% endif %}
</article>
</main>
</body>
</html>
"""

_template = None
_converter: markdown.Markdown | None = None  # --reuse-converter: one per process


def to_html(body: str, reuse: bool) -> str:
    """The body as HTML: a new converter per document, or this process's one, reset."""
    global _converter
    if not reuse:
        return markdown.markdown(body, extensions=EXTENSIONS)
    if _converter is None:
        _converter = markdown.Markdown(extensions=GENERATOR_EXTENSIONS, output_format="html")
    _converter.reset()
    return _converter.convert(body)


def _get_template() -> jinja2.Template:
    global _template
    if _template is None:
        _template = jinja2.Environment(autoescape=True).from_string(TEMPLATE)
    return _template


def split_front_matter(text: str) -> tuple[str, str]:
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end != -1:
            return text[4:end], text[end + 5 :]
    return "", text


def render_one(args: tuple[str, str, str, bool]) -> str:
    path, content_dir, out, reuse = args
    with open(path, encoding="utf-8") as f:
        text = f.read()
    head, body = split_front_matter(text)
    meta = yaml.load(head, Loader=yaml.CSafeLoader) or {}
    html_body = to_html(body, reuse)
    page = _get_template().render(meta=meta, body=jinja2.utils.markupsafe.Markup(html_body))
    rel = os.path.relpath(path, content_dir)
    slug = os.path.splitext(os.path.basename(rel))[0]
    folder = os.path.dirname(rel).split(os.sep, 1)  # drop the language folder
    target = os.path.join(out, folder[1] if len(folder) > 1 else "", "" if slug == "index" else slug)
    os.makedirs(target, exist_ok=True)
    with open(os.path.join(target, "index.html"), "w", encoding="utf-8") as f:
        f.write(page)
    return target


def sources(content_dir: str) -> list[str]:
    found = []
    for folder, dirs, files in os.walk(content_dir):
        dirs.sort()
        found += [os.path.join(folder, name) for name in sorted(files) if name.endswith(".md")]
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="plain read/yaml/markdown/jinja/write loop (the baseline)")
    parser.add_argument("site", type=Path, help="corpus folder (with content/)")
    parser.add_argument("out", type=Path, help="output folder")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument(
        "--reuse-converter",
        action="store_true",
        help="one markdown.Markdown per process, reset() between documents (issue #16's floor)",
    )
    args = parser.parse_args(argv)
    start = time.perf_counter()
    content_dir = str((args.site / "content").resolve())
    out = str(args.out.resolve())
    tasks = [(path, content_dir, out, args.reuse_converter) for path in sources(content_dir)]
    if args.jobs > 1:
        with Pool(args.jobs) as pool:
            written = pool.map(render_one, tasks, chunksize=max(1, len(tasks) // (args.jobs * 8)))
    else:
        written = [render_one(task) for task in tasks]
    print(f"{len(written)} pages in {time.perf_counter() - start:.2f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
