"""Photo processing with Pillow (and pillow-heif for HEIC): check, orient, strip, resize, encode.

No ORM and no storage here: bytes in, bytes out. Every photo is decoded and re-encoded as a new
JPEG built from the pixels alone, so no EXIF (camera, time, GPS position), XMP or ICC metadata of
the upload survives; ``ImageOps.exif_transpose`` first turns the pixels the way the camera's
orientation tag said, so dropping the tag doesn't leave photos on their side.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import IO

from PIL import Image, ImageOps, UnidentifiedImageError

try:  # HEIC/HEIF from iPhones; without the package those uploads get a clear "not supported".
    from pillow_heif import register_heif_opener

    register_heif_opener()
    HEIC_SUPPORTED = True
except ImportError:  # pragma: no cover - the package is in requirements.txt
    HEIC_SUPPORTED = False

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 50_000_000  # about 8,660 × 5,770: beyond any phone camera; a "bomb" is far beyond
MAX_EDGE = 2048  # the stored photo's long edge
THUMB_EDGE = 480
QUALITY = 85
FORMATS = {"JPEG", "PNG", "WEBP", "HEIF", "MPO"}  # MPO: the JPEG variant some phones write

# Pillow's own guard: it warns past MAX_IMAGE_PIXELS and raises past twice that; the warning is
# made an error below, so anything past MAX_PIXELS is refused before its pixels are decoded.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


class PhotoRejected(ValueError):
    """The upload is not a photo we take; the message says why, in plain words."""


@dataclass(frozen=True)
class ProcessedPhoto:
    image: bytes
    thumbnail: bytes
    width: int
    height: int


def _encode(img: Image.Image) -> bytes:
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=QUALITY, optimize=True, progressive=True)
    return out.getvalue()


def _pixels_only(img: Image.Image) -> Image.Image:
    """A new RGB image holding the pixels and nothing else (``info`` is empty: no metadata)."""
    if img.mode in ("RGBA", "LA", "P"):
        rgba = img.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        img = flat
    elif img.mode != "RGB":
        img = img.convert("RGB")
    clean = Image.new("RGB", img.size)
    clean.paste(img)
    return clean


def _fitted(size: tuple[int, int], edge: int) -> tuple[int, int]:
    """``size`` scaled down (never up) to fit an ``edge`` × ``edge`` box, as ``thumbnail`` does."""
    width, height = size
    scale = min(1.0, edge / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def process_photo(upload: IO[bytes], size: int) -> ProcessedPhoto:
    """The upload as a stored photo and a thumbnail, or ``PhotoRejected``."""
    if size > MAX_UPLOAD_BYTES:
        raise PhotoRejected(f"That file is {size / 1024 / 1024:.0f} MB; photos can be up to 20 MB.")
    if size == 0:
        raise PhotoRejected("That file is empty.")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            img: Image.Image = Image.open(upload)
            if img.format not in FORMATS:
                raise PhotoRejected("Photos can be JPEG, PNG, WebP or HEIC.")
            width, height = img.size
            if width * height > MAX_PIXELS:
                raise PhotoRejected(
                    f"That image is {width} × {height} pixels; photos can be up to 50 megapixels."
                )
            if img.format in ("JPEG", "MPO"):
                # Decode at 1/2, 1/4 or 1/8 scale when that still leaves MAX_EDGE on the long edge
                # (a 48 MP photo: a quarter of the pixels, time and memory).
                img.draft("RGB", _fitted(img.size, MAX_EDGE))
            img.load()
            # Down to the stored size first, so nothing below copies a full-resolution image.
            img.thumbnail((MAX_EDGE, MAX_EDGE), Image.Resampling.LANCZOS)
            img = ImageOps.exif_transpose(img)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise PhotoRejected("That image is too large to open safely (over 50 megapixels).") from exc
        except UnidentifiedImageError as exc:
            raise PhotoRejected("That file is not a photo we can read: use JPEG, PNG, WebP or HEIC.") from exc
        except (OSError, SyntaxError, ValueError) as exc:
            if isinstance(exc, PhotoRejected):
                raise
            raise PhotoRejected("That photo is damaged or cut short; try another.") from exc
    clean = _pixels_only(img)
    thumb = clean.copy()
    thumb.thumbnail((THUMB_EDGE, THUMB_EDGE), Image.Resampling.LANCZOS)
    return ProcessedPhoto(
        image=_encode(clean), thumbnail=_encode(thumb), width=clean.width, height=clean.height
    )
