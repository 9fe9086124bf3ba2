"""The project's WSGI application plus one bare view, ``/bench-hello/``, for bench/bench_gunicorn.py.

The bare view answers "hello" through the same middleware (sessions, authentication, CSRF, CSP,
compression) as every page, so a page's requests/s divided by this view's is the page's own cost,
a figure that survives a busy machine better than the raw requests/s. Not part of the app: only the
bench starts gunicorn with it (``gunicorn _hello_wsgi --pythonpath bench``).
"""

from __future__ import annotations

from hypertroq.wsgi import application  # first: sets Django up

# isort: split
from django.http import HttpRequest, HttpResponse
from django.urls import path

from hypertroq import urls


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("<!doctype html><title>hello</title><p>hello</p>")


urls.urlpatterns.append(path("bench-hello/", hello))

__all__ = ["application"]
