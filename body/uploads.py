"""Stop reading a photo upload once it passes the limit, instead of spooling any size to disk.

The photo view is ``csrf_exempt`` only so that it can put this handler in front before anything
reads the body; it then calls a ``csrf_protect``-ed inner view (Django's documented pattern). A
request that declares more than the limit is answered before its body is read at all.
"""

from __future__ import annotations

from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest

from body.integrations.images import MAX_UPLOAD_BYTES

# Room for the other form fields and the multipart boundaries around the file.
BODY_SLACK = 64 * 1024
TOO_LARGE = f"That file is over {MAX_UPLOAD_BYTES // 1024 // 1024} MB; photos can be up to 20 MB."


class PhotoSizeLimitHandler(FileUploadHandler):
    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if start + len(raw_data) > MAX_UPLOAD_BYTES:
            self.request.photo_too_large = True  # type: ignore[union-attr]
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def declared_too_large(request: HttpRequest) -> bool:
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    return declared > MAX_UPLOAD_BYTES + BODY_SLACK


def limit_upload(request: HttpRequest) -> None:
    request.upload_handlers = [PhotoSizeLimitHandler(request), *request.upload_handlers]


def was_too_large(request: HttpRequest) -> bool:
    return bool(getattr(request, "photo_too_large", False))
