"""Where photos are stored: a private folder by default, a private S3-compatible bucket by env."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.urls import Resolver404, resolve

from hypertroq.settings.base import photo_storage_settings


def test_default_is_a_private_folder_that_no_url_serves(monkeypatch, tmp_path):
    monkeypatch.delenv("PHOTOS_S3_BUCKET", raising=False)
    config = photo_storage_settings(tmp_path / "media")
    assert config["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert config["OPTIONS"]["location"] == str(tmp_path / "media" / "photos")
    assert config["OPTIONS"]["file_permissions_mode"] == 0o600
    # Not under the static files, and no URL pattern reaches the media folder.
    assert not str(config["OPTIONS"]["location"]).startswith(str(settings.STATIC_ROOT))
    for path in ("/media/photos/x.jpg", "/no-public-url/ab/cd.jpg", "/var/media/photos/x.jpg"):
        try:
            match = resolve(path)
        except Resolver404:
            continue
        raise AssertionError(f"{path} resolves to {match.view_name}")


def test_a_bucket_from_the_environment_is_private_with_short_signed_urls(monkeypatch):
    monkeypatch.setenv("PHOTOS_S3_BUCKET", "hq-photos")
    monkeypatch.setenv("PHOTOS_S3_ENDPOINT_URL", "https://objects.example.org")
    config = photo_storage_settings(Path("/unused"))
    assert config["BACKEND"] == "storages.backends.s3.S3Storage"
    options = config["OPTIONS"]
    assert options["bucket_name"] == "hq-photos" and options["endpoint_url"] == "https://objects.example.org"
    assert options["default_acl"] == "private" and options["querystring_auth"] is True
    assert options["querystring_expire"] <= 300 and options["file_overwrite"] is False


def test_the_test_run_writes_photos_outside_the_project():
    location = Path(settings.STORAGES["photos"]["OPTIONS"]["location"])
    assert not location.is_relative_to(Path(settings.BASE_DIR))


def test_the_bucket_storage_loads_and_signs_urls_that_expire_within_five_minutes(monkeypatch):
    """boto3 is installed with the app: setting PHOTOS_S3_BUCKET gives a working storage, whose
    URLs are signed and short-lived (signing is local: no request leaves the machine)."""
    from urllib.parse import parse_qs, urlsplit

    from django.utils.module_loading import import_string

    monkeypatch.setenv("PHOTOS_S3_BUCKET", "hq-photos")
    monkeypatch.setenv("PHOTOS_S3_ENDPOINT_URL", "http://127.0.0.1:9000")
    monkeypatch.setenv("PHOTOS_S3_REGION", "eu-central-1")
    monkeypatch.setenv("PHOTOS_S3_ACCESS_KEY_ID", "test-access-key")
    monkeypatch.setenv("PHOTOS_S3_SECRET_ACCESS_KEY", "test-secret-key")
    config = photo_storage_settings(Path("/unused"))
    storage = import_string(config["BACKEND"])(**config["OPTIONS"])

    url = storage.url("ab/0123456789abcdef.jpg")
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    assert parts.path == "/hq-photos/photos/ab/0123456789abcdef.jpg"
    assert int(query["X-Amz-Expires"][0]) <= 300
    assert query["X-Amz-Signature"][0]
