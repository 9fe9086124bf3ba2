"""Image bytes for the photo tests: made here with Pillow, metadata included."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

GPS_IFD = 0x8825
ORIENTATION = 0x0112
MAKE = 0x010F


def jpeg_with_exif(size: tuple[int, int] = (300, 200), orientation: int = 6) -> bytes:
    """A JPEG whose EXIF has a camera make, an orientation (6: turn 90° clockwise to view) and a
    GPS position (Berlin), and an XMP packet."""
    img = Image.new("RGB", size, (200, 30, 30))
    img.paste((30, 30, 200), (0, 0, size[0] // 2, size[1] // 4))  # a mark to check the turn by
    exif = Image.Exif()
    exif[MAKE] = "SpyCam"
    exif[ORIENTATION] = orientation
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 17.0)})
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif.tobytes(), xmp=b"<x:xmpmeta>secret-place</x:xmpmeta>")
    return out.getvalue()


def image_bytes(fmt: str, size: tuple[int, int] = (120, 80), mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (10, 120, 200) if mode == "RGB" else (10, 120, 200, 128)).save(out, format=fmt)
    return out.getvalue()


def upload(data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)
