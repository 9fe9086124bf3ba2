"""``{% url %}`` without arguments, reversed once per process (a template builtin, settings).

Every page's header and footer hold a few dozen links without arguments (the navigation is in it
twice: wide screens and the phone's Menu), and Django's ``reverse`` walks the URL resolver each
time. A URL without arguments depends only on its name, the current application namespace, the
URLconf and the script prefix, which together are the cache key; a name that does not reverse is
never cached (it raises, or gives "" with ``as``, as before). Links with arguments are Django's.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.template.base import Parser, Token
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape

register = template.Library()

MAX_ENTRIES = 2000  # names come from templates; a bound all the same
_reversed: dict[tuple[Any, ...], str] = {}


def reverse_no_args(view_name: str, current_app: str | None) -> str:
    key = (view_name, current_app, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
    url = _reversed.get(key)
    if url is None:
        url = reverse(view_name, current_app=current_app)
        if len(_reversed) >= MAX_ENTRIES:
            _reversed.clear()
        _reversed[key] = url
    return url


def clear() -> None:
    _reversed.clear()


class CachedURLNode(URLNode):
    def render(self, context: template.Context) -> str:
        if self.args or self.kwargs:
            return str(super().render(context))
        view_name = self.view_name.resolve(context)
        try:
            current_app = context.request.current_app  # type: ignore[attr-defined]
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace  # type: ignore[attr-defined]
            except AttributeError:
                current_app = None
        url = ""
        try:
            url = reverse_no_args(view_name, current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return str(conditional_escape(url)) if context.autoescape else url


@register.tag
def url(parser: Parser, token: Token) -> URLNode:
    node = django_url(parser, token)
    return CachedURLNode(node.view_name, node.args, node.kwargs, node.asvar)
