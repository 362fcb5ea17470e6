"""A tiny bilingual fixture site in ``tmp_path``, and a helper to run the command line on it.

Fixture data: the titles and texts below are invented filler, not facts about IOM.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from sitegen.cli import main

PROJECT = Path(__file__).resolve().parents[1]
NOW = "2026-12-01T12:00:00+01:00"

CONFIG = """\
base_url: "https://example.org/"
site_name:
  it: "Sito di prova"
  en: "Test site"
languages: [it, en]
timezone: Europe/Rome
messages_language: it
content_dir: content
templates_dir: {templates}
static_dir: {static}
output_dir: public
cache_dir: .cache
organization:
  name: "Ente di prova"
"""

BASE_FILES = {
    "content/it/index.md": '---\ntitle: "Home di prova"\ntranslation_key: home\nlayout: home\n---\n\nTesto di prova.\n',
    "content/en/index.md": '---\ntitle: "Test home"\ntranslation_key: home\nlayout: home\n---\n\nFiller text.\n',
    "content/it/notizie/primo-annuncio.md": (
        '---\ntitle: "Primo annuncio di prova"\ndate: 2026-11-20\ntranslation_key: primo\ntags: [prova]\n---\n\n'
        "## Dettagli\n\nTesto di prova.\n"
    ),
    "content/en/news/first-announcement.md": (
        '---\ntitle: "First test announcement"\ndate: 2026-11-20\ntranslation_key: primo\ntags: [test]\n---\n\n'
        "Filler text.\n"
    ),
}


def make_site(
    root: Path,
    files: dict[str, str | bytes] | None = None,
    *,
    config: str | None = None,
    copy_templates: bool = False,
    drop: tuple[str, ...] = (),
) -> Path:
    """Write the base site plus ``files`` (path → text or bytes; ``None`` removes) into ``root``."""
    templates = PROJECT / "templates"
    if copy_templates:
        shutil.copytree(templates, root / "templates")
        templates = Path("templates")
    text = config if config is not None else CONFIG.format(templates=templates, static=PROJECT / "static")
    (root / "config.yaml").write_text(text, encoding="utf-8")
    merged = {k: v for k, v in BASE_FILES.items() if k not in drop}
    merged.update(files or {})
    for rel, content in merged.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def run(capsys, *args: str) -> tuple[int, str, str]:
    """``build.py ARGS`` in the current folder: (exit code, stdout, stderr)."""
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def build_args(*extra: str) -> list[str]:
    return ["build", "--config", "config.yaml", "--output", "public", "--now", NOW, *extra]


def jpeg_bytes(width: int = 1200, height: int = 800, colour=(30, 90, 160)) -> bytes:
    """A small synthetic photo (a gradient, so that resizing has something to do)."""
    import io

    from PIL import Image

    image = Image.new("RGB", (width, height), colour)
    for x in range(0, width, 7):
        for y in range(0, height, 13):
            image.putpixel((x, y), ((x * 3) % 256, (y * 5) % 256, 128))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def output_tree(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder``: its relative POSIX path → its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def clean_output(root: Path, capsys, *extra: str) -> dict[str, bytes]:
    """The output of a build with no cache at all, in a fresh copy of the project next to ``root``."""
    copy = root.parent / "clean"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns(".cache", "public", ".public*"))
    cwd = os.getcwd()
    os.chdir(copy)
    try:
        code, _out, err = run(capsys, *build_args(*extra))
    finally:
        os.chdir(cwd)
    assert code == 0, err
    return output_tree(copy / "public")
