"""Production static files: hashed names, compressed, cached for a year or more (whitenoise)."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management import call_command
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from whitenoise.middleware import WhiteNoiseMiddleware

PRODUCTION_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


def test_hashed_static_files_are_compressed_and_cached_immutably(tmp_path: Path):
    with override_settings(
        STATIC_ROOT=tmp_path, STORAGES=PRODUCTION_STORAGES, DEBUG=False, WHITENOISE_MAX_AGE=31536000
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
        manifest = json.loads((tmp_path / "staticfiles.json").read_text())
        hashed = manifest["paths"]["css/app.css"]
        assert hashed != "css/app.css"
        assert (tmp_path / (hashed + ".gz")).is_file()

        middleware = WhiteNoiseMiddleware(lambda request: HttpResponse(status=404))
        factory = RequestFactory()

        response = middleware(factory.get(f"/static/{hashed}", HTTP_ACCEPT_ENCODING="gzip"))
        assert response.status_code == 200
        cache_control = response["Cache-Control"]
        assert "immutable" in cache_control
        assert int(cache_control.split("max-age=")[1].split(",")[0]) >= 31536000
        assert response["Content-Encoding"] == "gzip"

        # The unhashed name is served too, cached for WHITENOISE_MAX_AGE but not immutable.
        plain = middleware(factory.get("/static/css/app.css"))
        assert plain.status_code == 200
        assert "max-age=31536000" in plain["Cache-Control"]
        assert "immutable" not in plain["Cache-Control"]
