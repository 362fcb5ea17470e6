"""Images and attachments: sizes, variants, alt text, caching, file format and size on links."""

from __future__ import annotations

import io
import re

import pytest
from editor_site import build_args, jpeg_bytes, make_site, run
from PIL import Image

from sitegen import media
from sitegen.media import attachment_label, file_size_label, target_widths

ITEM = "content/it/notizie/con-foto.md"


def item(body: str) -> str:
    return f'---\ntitle: "Notizia con foto"\ndate: 2026-11-22\n---\n\n{body}'


def page_html(root, path="public/notizie/con-foto/index.html") -> str:
    return (root / path).read_text(encoding="utf-8")


def built(tmp_path, monkeypatch, capsys, files, *extra):
    make_site(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SITEGEN_LANG", "it")
    code, out, err = run(capsys, *build_args(*extra))
    assert code == 0, err
    return out, err


def test_image_gets_size_lazy_loading_and_webp_variants(tmp_path, monkeypatch, capsys):
    built(
        tmp_path,
        monkeypatch,
        capsys,
        {ITEM: item("![Una sala riunioni di prova](foto.jpg)\n"), "content/it/notizie/foto.jpg": jpeg_bytes(1200, 800)},
    )
    html = page_html(tmp_path)
    picture = re.search(r"<picture>.*?</picture>", html).group(0)
    webp = re.search(r'<source type="image/webp" srcset="([^"]+)" sizes="([^"]+)">', picture)
    img = re.search(r"<img [^>]+>", picture).group(0)
    assert webp.group(2) == media.SIZES
    assert 'alt="Una sala riunioni di prova"' in img
    assert 'width="1200" height="800"' in img
    assert 'loading="lazy" decoding="async"' in img
    widths = [int(w) for w in re.findall(r" (\d+)w", webp.group(1))]
    assert widths == [480, 960, 1200]  # never enlarged beyond the original 1200 px
    for url, width in re.findall(
        r"(/static/images/\S+) (\d+)w", webp.group(1) + ", " + re.search(r'srcset="([^"]+)"', img).group(1)
    ):
        with Image.open(tmp_path / "public" / url.lstrip("/")) as variant:
            assert variant.width == int(width)
            assert variant.format == ("WEBP" if url.endswith(".webp") else "JPEG")
            assert round(variant.height) == round(800 * int(width) / 1200)
    src = re.search(r' src="([^"]+)"', img).group(1)
    assert src.startswith("/static/images/foto-1200.") and src.endswith(".jpg")
    assert (tmp_path / "public/notizie/foto.jpg").read_bytes() == (
        tmp_path / "content/it/notizie/foto.jpg"
    ).read_bytes()


def test_variants_have_no_metadata_and_follow_exif_rotation(tmp_path, monkeypatch, capsys):
    image = Image.new("RGB", (600, 400), (10, 120, 200))
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise": a phone photo taken upright
    exif[0x010F] = "Fixture camera"
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    built(
        tmp_path,
        monkeypatch,
        capsys,
        {ITEM: item("![Foto girata](girata.jpg)\n"), "content/it/notizie/girata.jpg": out.getvalue()},
    )
    img = re.search(r"<img [^>]+>", page_html(tmp_path)).group(0)
    assert 'width="400" height="600"' in img
    for path in (tmp_path / "public/static/images").iterdir():
        with Image.open(path) as variant:
            assert variant.size[1] > variant.size[0]
            assert not variant.getexif(), path.name
            assert "exif" not in variant.info and "xmp" not in variant.info


def test_image_in_shared_media_folder_from_an_english_item(tmp_path, monkeypatch, capsys):
    files = {
        "content/en/news/with-photo.md": '---\ntitle: "Item with a photo"\ndate: 2026-11-22\n---\n\n'
        "![A test meeting room](/media/sala.png)\n",
        "content/media/sala.png": _png(300, 200),
    }
    built(tmp_path, monkeypatch, capsys, files)
    html = page_html(tmp_path, "public/en/news/with-photo/index.html")
    img = re.search(r"<img [^>]+>", html).group(0)
    assert 'width="300" height="200"' in img and "sala-300." in img and ".png 300w" in img
    assert re.search(r'<source type="image/webp" srcset="/static/images/sala-300\.[0-9a-f]{10}\.webp 300w"', html)
    assert (tmp_path / "public/media/sala.png").is_file()


def _png(width, height) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (width, height), (200, 10, 10, 128)).save(out, "PNG")
    return out.getvalue()


def test_variant_bytes_are_deterministic_and_cached(tmp_path, monkeypatch, capsys):
    files = {ITEM: item("![Foto di prova](foto.jpg)\n"), "content/it/notizie/foto.jpg": jpeg_bytes(1000, 700)}
    built(tmp_path, monkeypatch, capsys, files)
    first = {p.name: p.read_bytes() for p in (tmp_path / "public/static/images").iterdir()}
    assert len(first) == 6  # 480, 960, 1000 × JPEG, WebP
    # A second project with an empty cache produces byte-identical files...
    other = tmp_path / "other"
    other.mkdir()
    built(other, monkeypatch, capsys, files)
    assert {p.name: p.read_bytes() for p in (other / "public/static/images").iterdir()} == first

    # ...and a rebuild with the cache in place encodes nothing.
    def no_encoding(*_args, **_kwargs):
        raise AssertionError("re-encoded an image that was in the cache")

    monkeypatch.setattr(media, "_encode", no_encoding)
    monkeypatch.chdir(tmp_path)
    code, _out, err = run(capsys, *build_args())
    assert code == 0, err
    assert {p.name: p.read_bytes() for p in (tmp_path / "public/static/images").iterdir()} == first


def test_changed_image_is_encoded_again(tmp_path, monkeypatch, capsys):
    files = {ITEM: item("![Foto di prova](foto.jpg)\n"), "content/it/notizie/foto.jpg": jpeg_bytes(500, 300)}
    built(tmp_path, monkeypatch, capsys, files)
    before = sorted(p.name for p in (tmp_path / "public/static/images").iterdir())
    (tmp_path / "content/it/notizie/foto.jpg").write_bytes(jpeg_bytes(500, 300, colour=(250, 250, 0)))
    code, _out, err = run(capsys, *build_args())
    assert code == 0, err
    after = sorted(p.name for p in (tmp_path / "public/static/images").iterdir())
    assert before != after and len(after) == len(before)


@pytest.mark.parametrize(
    "lang, path, body, expected",
    [
        (
            "it",
            ITEM,
            "Scarica il [Comunicato stampa](comunicato.pdf).\n",
            '<a href="/notizie/comunicato.pdf" type="application/pdf">Comunicato stampa '
            '<span class="file-info">(PDF, 180 kB)</span></a>',
        ),
        (
            "en",
            "content/en/news/with-release.md",
            "Download the [Press release](/media/release.pdf).\n",
            '<a href="/media/release.pdf" type="application/pdf">Press release '
            '<span class="file-info">(PDF, 1.2 MB)</span></a>',
        ),
    ],
)
def test_link_to_a_pdf_shows_format_and_size(lang, path, body, expected, tmp_path, monkeypatch, capsys):
    files = {
        path: f'---\ntitle: "Allegato"\ndate: 2026-11-22\n---\n\n{body}',
        "content/it/notizie/comunicato.pdf": b"%PDF-1.4\n" + b"0" * (180_000 - 9),
        "content/media/release.pdf": b"%PDF-1.4\n" + b"0" * (1_234_567 - 9),
    }
    built(tmp_path, monkeypatch, capsys, files)
    out = "public/notizie/con-foto/index.html" if lang == "it" else "public/en/news/with-release/index.html"
    assert expected in page_html(tmp_path, out)


@pytest.mark.parametrize(
    "size, lang, expected",
    [
        (0, "it", "1 kB"),
        (180_000, "it", "180 kB"),
        (999_499, "en", "999 kB"),
        (1_234_567, "it", "1,2 MB"),
        (1_234_567, "en", "1.2 MB"),
        (25_000_000, "it", "25,0 MB"),
    ],
)
def test_file_size_label(size, lang, expected):
    assert file_size_label(size, lang) == expected


def test_attachment_label():
    assert attachment_label(".pdf", 180_000, "it") == "(PDF, 180 kB)"
    assert attachment_label(".docx", 2_500_000, "it") == "(DOCX, 2,5 MB)"


def test_target_widths():
    assert target_widths(4000) == [480, 960, 1600]
    assert target_widths(700) == [480, 700]
    assert target_widths(200) == [200]


def test_external_links_and_pages_are_left_alone(tmp_path, monkeypatch, capsys):
    body = "[Sito esterno](https://example.org/a.pdf) e [annuncio](primo-annuncio.md).\n"
    built(tmp_path, monkeypatch, capsys, {ITEM: item(body)})
    html = page_html(tmp_path)
    assert '<a href="https://example.org/a.pdf">Sito esterno</a>' in html
    assert '<a href="/notizie/primo-annuncio/">annuncio</a>' in html
    assert "file-info" not in html
