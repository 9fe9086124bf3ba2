"""``{% url %}`` without arguments, or with one UUID, reversed once per process (a template
builtin, settings).

Every page's header and footer hold a few dozen links without arguments (the navigation is in it
twice: wide screens and the phone's Menu), and Django's ``reverse`` walks the URL resolver each
time. A URL without arguments depends only on its name, the current application namespace, the
URLconf and the script prefix, which together are the cache key; a name that does not reverse is
never cached (it raises, or gives "" with ``as``, as before).

A link with one argument that is a UUID (a program's, a session's: the builder has a dozen) is
reversed once with a placeholder UUID, and each link is that pattern with the placeholder replaced
(a UUID's text is what Django's ``uuid`` converter writes). Other links with arguments are Django's.
"""

from __future__ import annotations

import uuid
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


_PLACEHOLDER = uuid.UUID(int=0)
_PLACEHOLDER_TEXT = str(_PLACEHOLDER)


def reverse_one_uuid(view_name: str, current_app: str | None, kwarg: str | None, value: uuid.UUID) -> str:
    """The URL of ``view_name`` with ``value`` as its one argument (``kwarg``, or positional)."""
    key = (view_name, current_app, kwarg, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
    pattern = _reversed.get(key)
    if pattern is None:
        if kwarg is None:
            pattern = reverse(view_name, args=[_PLACEHOLDER], current_app=current_app)
        else:
            pattern = reverse(view_name, kwargs={kwarg: _PLACEHOLDER}, current_app=current_app)
        if pattern.count(_PLACEHOLDER_TEXT) != 1:
            # Not a plain UUID segment: Django's own reverse, every time.
            if kwarg is None:
                return reverse(view_name, args=[value], current_app=current_app)
            return reverse(view_name, kwargs={kwarg: value}, current_app=current_app)
        if len(_reversed) >= MAX_ENTRIES:
            _reversed.clear()
        _reversed[key] = pattern
    return pattern.replace(_PLACEHOLDER_TEXT, str(value))


def clear() -> None:
    _reversed.clear()


class CachedURLNode(URLNode):
    def _one_uuid(self, context: template.Context) -> tuple[str | None, uuid.UUID] | None:
        """(keyword or None, value) when the link's one argument is a UUID; else None."""
        if len(self.args) + len(self.kwargs) != 1:
            return None
        if self.args:
            kwarg, value = None, self.args[0].resolve(context)
        else:
            kwarg, expression = next(iter(self.kwargs.items()))
            value = expression.resolve(context)
        return (kwarg, value) if isinstance(value, uuid.UUID) else None

    def render(self, context: template.Context) -> str:
        one = self._one_uuid(context) if (self.args or self.kwargs) else None
        if (self.args or self.kwargs) and one is None:
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
            url = (
                reverse_no_args(view_name, current_app)
                if one is None
                else reverse_one_uuid(view_name, current_app, *one)
            )
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
