"""Image records (``media/<image digest>.json``) and the encoded variants next to them.

A record holds only numbers and format names: an image's displayed size and the (width,
format) of each variant.  Where a variant is published and which cache file holds its
bytes are *derived* from the image's digest and its source's name
(:func:`sitegen.media.variant_name`), never read from the record, so an edited record
cannot make the build read or write a file anywhere else.  A variant file must be a
regular file (not a link) in the media folder, or the image is encoded again.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from . import checks
from .codec import Invalid, decoder, encoder
from .files import Notices, load_checked, save_quietly

FORMATS = ("JPEG", "PNG", "WEBP")
MAX_SIDE = 1 << 16  # more than any image Pillow is allowed to open


@dataclass(frozen=True)
class ImageRecord:
    width: int
    height: int
    variants: tuple[tuple[int, str], ...]  # (width, Pillow format name)

    def check(self) -> ImageRecord:
        for side in (self.width, self.height):
            if not 1 <= side <= MAX_SIDE:
                raise Invalid(f"image side {side} out of range")
        for width, fmt in self.variants:
            if not 1 <= width <= self.width:
                raise Invalid(f"variant width {width} out of range")
            checks.one_of(fmt, FORMATS)
        return self


_decode = decoder(ImageRecord)
_encode = encoder(ImageRecord)
KIND = "image"


def record_path(folder: Path, image_digest: str) -> Path:
    return folder / f"{checks.digest(image_digest)}.json"


def load_image(folder: Path, image_digest: str, notices: Notices) -> ImageRecord | None:
    """The checked record of an image, or ``None`` (absent, or invalid: noted)."""
    record: ImageRecord | None = load_checked(
        record_path(folder, image_digest), KIND, lambda value: _decode(value).check(), notices
    )
    return record


def save_image(folder: Path, image_digest: str, record: ImageRecord, notices: Notices) -> None:
    save_quietly(record_path(folder, image_digest), KIND, _encode(record), notices)


def is_plain_file(path: Path) -> bool:
    """A regular file itself, not a link to one (a link could publish any file of the machine)."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False
