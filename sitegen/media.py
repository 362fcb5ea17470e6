"""Images and attachments in page bodies: sizes, responsive variants, alt text, file info.

An editor writes ``![Descrizione](foto.jpg)`` and ``[Comunicato stampa](comunicato.pdf)``;
after the links are resolved, :meth:`Media.enhance` turns

* every image into a ``<picture>`` with a WebP ``<source>`` and an ``<img>`` carrying
  ``srcset``/``sizes``, ``width``/``height`` (no layout shift), ``loading="lazy"`` and
  ``decoding="async"``; the variants (480, 960 and 1600 px wide, never enlarged) are made
  with Pillow and published under ``/static/images/`` with their hash in the name;
* every link to a document (PDF, office files, ZIP) into ``Comunicato stampa
  <span class="file-info">(PDF, 180 kB)</span>``, inside the link so that screen readers
  read it as part of the link's name;
* every image without alternative text into an error naming the file and line.

Encoding is deterministic (fixed quality, no metadata but the colour profile, no
timestamps) and cached under ``<cache_dir>/media/`` by the source's hash, so a rebuild
never encodes an image twice (see :mod:`sitegen.cache.images`: the records are checked,
and the paths they lead to are derived, never read).  Without the cache (``--no-cache``)
the variants are encoded in memory and nothing is read from or written to the cache.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import unquote

from .cache.files import CacheFolder, Notices, write_atomic
from .config import Config
from .content import Document
from .errors import Problem
from .markdown_render import source_line

if TYPE_CHECKING:
    from PIL import Image

WIDTHS = (480, 960, 1600)
JPEG_QUALITY = 82
WEBP_QUALITY = 80
# The text column is at most 42rem wide (--measure in style.css), the page has 1rem margins.
SIZES = "(min-width: 44rem) 42rem, calc(100vw - 2rem)"
RESIZED = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}
SIZED_ONLY = (".gif",)
DOCUMENT_LABELS = {
    ".pdf": "PDF",
    ".doc": "DOC",
    ".docx": "DOCX",
    ".odt": "ODT",
    ".rtf": "RTF",
    ".xls": "XLS",
    ".xlsx": "XLSX",
    ".ods": "ODS",
    ".csv": "CSV",
    ".ppt": "PPT",
    ".pptx": "PPTX",
    ".odp": "ODP",
    ".zip": "ZIP",
    ".epub": "EPUB",
}
VARIANT_FOLDER = "static/images"

_IMG_RE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ATTR_RE = re.compile(r'([A-Za-z_:][\w:.-]*)(?:\s*=\s*"([^"]*)")?')
_LINK_RE = re.compile(
    r'<a\b(?P<attrs>[^>]*?)\bhref="(?P<href>[^"]*)"(?P<rest>[^>]*)>(?P<text>.*?)</a>', re.IGNORECASE | re.DOTALL
)


@dataclass(frozen=True)
class Variant:
    width: int
    format: str  # Pillow's name: JPEG, PNG, WEBP
    site_path: str  # /static/images/foto-480.1a2b3c4d5e.webp
    file: Path | bytes  # the encoded bytes: a file in the cache, or in memory (--no-cache)


@dataclass(frozen=True)
class ImageInfo:
    """An image's displayed size (after EXIF rotation) and its encoded variants."""

    width: int
    height: int
    variants: tuple[Variant, ...] = ()


class ImageUnreadable(Exception):
    """Pillow could not decode the file."""


# --- bounds per image (issue 15.4) ------------------------------------------------------
# Decoding costs memory by pixels, not by file size: a 336 KB RGBA PNG under Pillow's own
# limit (89 Mpx) took 1.15 GB and 8 s.  25 Mpx (6000 x 4166, more than any page shows: the
# largest variant is 1600 px wide) is at most 100 MB per decoded copy at 4 bytes a pixel,
# about 300 MB with the rotated and resized copies.  The size is read from the header
# before anything is decoded.
MAX_IMAGE_PIXELS = 25_000_000
MAX_IMAGE_BYTES = 40 * 1024 * 1024  # the file is read whole before decoding


class ImageTooLarge(ImageUnreadable):
    """The image has more pixels (or bytes) than :data:`MAX_IMAGE_PIXELS` (:data:`MAX_IMAGE_BYTES`)."""

    def __init__(self, size: str, limit: str) -> None:
        super().__init__(size)
        self.size = size
        self.limit = limit


def _image_settings() -> bytes:
    from PIL import __version__ as pillow_version

    return json.dumps(
        {"widths": WIDTHS, "jpeg": JPEG_QUALITY, "webp": WEBP_QUALITY, "pillow": pillow_version}, sort_keys=True
    ).encode()


def target_widths(width: int) -> list[int]:
    """The widths to encode for an image ``width`` pixels wide: never enlarged, at most 1600."""
    return sorted({min(w, width) for w in WIDTHS})


def variant_name(source_name: str, digest: str, width: int, fmt: str) -> str:
    stem = PurePosixPath(source_name).stem
    ext = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}[fmt]
    return f"{VARIANT_FOLDER}/{stem}-{width}.{digest[:10]}{ext}"


def process_image(source: Path, folder: Path | None, notices: Notices, used: set[str] | None = None) -> ImageInfo:
    """Size and variants of one image, from the cache folder ``folder`` when its bytes were seen
    before; ``None``: no cache, the variants are encoded in memory.  ``used`` gets the names of
    the cache files this image needs (the others are pruned, see :mod:`sitegen.cache.prune`)."""
    # The image records are imported by the functions that use them, not at the top: a
    # build that reads no image (an edit of a page without one) does not load them.
    from .cache.images import ImageRecord, save_image

    if source.stat().st_size > MAX_IMAGE_BYTES:
        raise ImageTooLarge(f"{source.stat().st_size / 1048576:.0f} MB", f"{MAX_IMAGE_BYTES // 1048576} MB")
    data = source.read_bytes()
    suffix = source.suffix.lower()
    image_digest = hashlib.sha256(_image_settings() + b"\0" + data).hexdigest()
    info = _cached(source.name, image_digest, folder, notices) if folder is not None else None
    if info is None:
        info = _encode(source, data, suffix, image_digest, folder)
        if folder is not None:
            variants = tuple((v.width, v.format) for v in info.variants)
            save_image(folder, image_digest, ImageRecord(info.width, info.height, variants), notices)
    if used is not None:
        used.add(f"{image_digest}.json")
        used.update(v.file.name for v in info.variants if isinstance(v.file, Path))
    return info


def _cached(source_name: str, image_digest: str, folder: Path, notices: Notices) -> ImageInfo | None:
    """The image as its checked record describes it, if every variant file is there."""
    from .cache.images import is_plain_file, load_image

    record = load_image(folder, image_digest, notices)
    if record is None:
        return None
    variants = []
    for width, fmt in record.variants:
        site_path = "/" + variant_name(source_name, image_digest, width, fmt)
        file = folder / PurePosixPath(site_path).name
        if not is_plain_file(file):
            return None
        variants.append(Variant(width, fmt, site_path, file))
    return ImageInfo(record.width, record.height, tuple(variants))


def _encode(source: Path, data: bytes, suffix: str, digest: str, folder: Path | None) -> ImageInfo:
    import io

    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as opened:  # reads the header only
            if opened.width * opened.height > MAX_IMAGE_PIXELS:
                raise ImageTooLarge(f"{opened.width}×{opened.height} px", f"{MAX_IMAGE_PIXELS // 1_000_000} Mpx")
            opened.load()
            image = ImageOps.exif_transpose(opened)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise ImageUnreadable(str(exc)) from None
    width, height = image.size
    if suffix not in RESIZED:
        return ImageInfo(width, height)
    icc = image.info.get("icc_profile")
    fallback = RESIZED[suffix]
    variants = []
    for target in target_widths(width):
        resized = (
            image
            if target == width
            else image.resize((target, max(1, round(height * target / width))), Image.Resampling.LANCZOS)
        )
        for fmt in dict.fromkeys((fallback, "WEBP")):
            site_path = "/" + variant_name(source.name, digest, target, fmt)
            encoded = _encoded_bytes(resized, fmt, icc)
            if folder is None:
                variants.append(Variant(target, fmt, site_path, encoded))
                continue
            file = folder / PurePosixPath(site_path).name
            try:
                write_atomic(file, encoded)
            except OSError:  # a cache that cannot be written is only slower
                variants.append(Variant(target, fmt, site_path, encoded))
            else:
                variants.append(Variant(target, fmt, site_path, file))
    return ImageInfo(width, height, tuple(variants))


def _encoded_bytes(image: Image.Image, fmt: str, icc: bytes | None) -> bytes:
    """Deterministic bytes: fixed settings, no EXIF/XMP/text chunks, only the colour profile kept."""
    import io

    out = io.BytesIO()
    extra = {"icc_profile": icc} if icc else {}
    if fmt == "JPEG":
        image = image.convert("RGB") if image.mode not in ("RGB", "L") else image
        image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True, **extra)
    elif fmt == "PNG":
        image.save(out, "PNG", optimize=True, **extra)
    else:
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA" if "A" in image.mode or "transparency" in image.info else "RGB")
        image.save(out, "WEBP", quality=WEBP_QUALITY, method=4, **extra)
    return out.getvalue()


def file_size_label(size: int, lang: str) -> str:
    """``180 kB``, ``1,2 MB`` (Italian decimal comma) or ``1.2 MB``: decimal units, as file managers show."""
    if size < 1_000_000:
        return f"{max(1, round(size / 1000))} kB"
    number = f"{size / 1_000_000:.1f}"
    from .messages import render_message

    return number.replace(".", render_message("_decimal_separator", lang, {})) + " MB"


def attachment_label(suffix: str, size: int, lang: str) -> str:
    """``(PDF, 180 kB)``."""
    return f"({DOCUMENT_LABELS[suffix]}, {file_size_label(size, lang)})"


def nth_line(body: str, body_line: int, needle: str, n: int) -> int:
    """File line of the ``n``-th (1-based) occurrence of ``needle`` in a Markdown body."""
    index = -1
    for _ in range(n):
        found = body.find(needle, index + 1)
        if found < 0:
            break
        index = found
    return source_line(body, body_line, needle) if index < 0 else body_line + body.count("\n", 0, index)


def _attrs(tag: str) -> dict[str, str | None]:
    inner = tag[4:].rstrip(">").rstrip("/")
    return {
        m.group(1).lower(): (html.unescape(m.group(2)) if m.group(2) is not None else None)
        for m in _ATTR_RE.finditer(inner)
    }


def _tag(name: str, attrs: dict[str, str | None]) -> str:
    parts = [name] + [
        key if value is None else f'{key}="{html.escape(value, quote=True)}"' for key, value in attrs.items()
    ]
    return "<" + " ".join(parts) + ">"


class Media:
    """Enhances page bodies; collects the variant files to publish and the problems found."""

    def __init__(self, config: Config, asset_files: dict[str, Path], cache: CacheFolder | None = None):
        self.config = config
        self.asset_files = asset_files
        self.cache = cache or CacheFolder(None)
        self.cache.media_planned = True
        self.files: dict[str, Path | bytes] = {}
        self.problems: list[Problem] = []
        self._images: dict[str, ImageInfo | None] = {}

    def enhance(self, doc: Document, body: str) -> str:
        """``body`` (links already resolved) with images and attachment links completed."""
        originals = [_attrs(tag) for tag in _IMG_RE.findall(doc.converted.html)]
        index = iter(range(len(originals)))
        seen: dict[str, int] = {}

        def image(match: re.Match[str]) -> str:
            position = next(index, None)
            written = originals[position] if position is not None and position < len(originals) else {}
            src = written.get("src") or ""
            seen[src] = seen.get(src, 0) + 1
            line = nth_line(doc.markdown, doc.body_line, src, seen[src]) if src else doc.body_line
            return self._image(doc, match.group(0), src, line)

        body = _IMG_RE.sub(image, body)
        return _LINK_RE.sub(lambda m: self._link(doc, m), body)

    def _site_path(self, url: str) -> str | None:
        """The content asset a resolved ``href``/``src`` points to, if any."""
        prefix = self.config.base_path.rstrip("/")
        url = url.split("#", 1)[0].split("?", 1)[0]
        if not url.startswith(prefix + "/"):
            return None
        site_path = unquote(url[len(prefix) :])
        return site_path if site_path in self.asset_files else None

    def _image(self, doc: Document, tag: str, written_src: str, line: int) -> str:
        attrs = _attrs(tag)
        src = attrs.get("src") or ""
        if not (attrs.get("alt") or "").strip():
            self.problems.append(Problem("image_no_alt", doc.source.shown, line, {"target": written_src or src}))
        site_path = self._site_path(src)
        if site_path is None:
            return tag
        info = self._info(site_path, doc, line, written_src or src)
        if info is None:
            return tag
        attrs.pop("width", None)
        attrs.pop("height", None)
        fallback = [v for v in info.variants if v.format != "WEBP"] or list(info.variants)
        webp = [v for v in info.variants if v.format == "WEBP"]
        display = max(fallback, key=lambda v: v.width) if fallback else None
        img: dict[str, str | None] = {
            "src": self._href(display.site_path) if display else src,
            "alt": attrs.pop("alt", "") or "",
        }
        if fallback:
            img["srcset"] = self._srcset(fallback)
            img["sizes"] = SIZES
        width = display.width if display else info.width
        img["width"] = str(width)
        img["height"] = str(max(1, round(info.height * width / info.width)))
        img["loading"] = "lazy"
        img["decoding"] = "async"
        for key, value in attrs.items():
            if key not in ("src", "srcset", "sizes", "loading", "decoding"):
                img[key] = value
        if not webp or fallback == webp:
            return _tag("img", img)
        source: dict[str, str | None] = {"type": "image/webp", "srcset": self._srcset(webp), "sizes": SIZES}
        return f"<picture>{_tag('source', source)}{_tag('img', img)}</picture>"

    def _info(self, site_path: str, doc: Document, line: int, target: str) -> ImageInfo | None:
        if site_path not in self._images:
            suffix = PurePosixPath(site_path).suffix.lower()
            info = None
            if suffix in RESIZED or suffix in SIZED_ONLY:
                try:
                    info = process_image(
                        self.asset_files[site_path], self.cache.media, self.cache.notices, self.cache.used_media
                    )
                except ImageTooLarge as exc:
                    params: dict[str, object] = {"target": target, "size": exc.size, "limit": exc.limit}
                    self.problems.append(Problem("image_too_large", doc.source.shown, line, params))
                except ImageUnreadable as exc:
                    self.problems.append(
                        Problem("image_unreadable", doc.source.shown, line, {"target": target, "detail": exc})
                    )
                for variant in info.variants if info else ():
                    self.files[variant.site_path.lstrip("/")] = variant.file
            self._images[site_path] = info
        return self._images[site_path]

    def _srcset(self, variants: Iterable[Variant]) -> str:
        return ", ".join(f"{self._href(v.site_path)} {v.width}w" for v in sorted(variants, key=lambda v: v.width))

    def _href(self, site_path: str) -> str:
        from .urls import href

        return href(site_path, self.config.base_path)

    def _link(self, doc: Document, match: re.Match[str]) -> str:
        site_path = self._site_path(html.unescape(match.group("href")))
        suffix = PurePosixPath(site_path).suffix.lower() if site_path else ""
        if site_path is None or suffix not in DOCUMENT_LABELS or 'class="file-info"' in match.group("text"):
            return match.group(0)
        size = self.asset_files[site_path].stat().st_size
        label = attachment_label(suffix, size, doc.lang)
        attrs = match.group("attrs") + f'href="{match.group("href")}"' + match.group("rest")
        if "type=" not in attrs:
            import mimetypes  # here: only a page linking a document needs it

            attrs += f' type="{mimetypes.guess_type(site_path)[0] or "application/octet-stream"}"'
        return f'<a{attrs}>{match.group("text")} <span class="file-info">{label}</span></a>'
