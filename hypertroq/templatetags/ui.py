"""Design-system template helpers: inline SVG icons (``{% load ui %}{% icon "more" %}``).

Icons are 24 x 24 stroke drawings in ``currentColor``, so they take the text colour (and dark
mode) of whatever holds them. They are decorative (``aria-hidden``): the button or link that
holds one needs words, visible or visually hidden.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django import template
from django.template import Engine
from django.urls import get_script_prefix
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from hypertroq.http import CSRF_PLACEHOLDER, with_csrf

register = template.Library()

# name -> SVG children (stroke paths on a 24 x 24 grid).
ICONS: dict[str, str] = {
    "logo": '<path d="M3 9v6M6 7v10M18 7v10M21 9v6M6 12h12"/>',
    "menu": '<path d="M4 6h16M4 12h16M4 18h16"/>',
    "more": '<circle cx="5" cy="12" r="1.3"/><circle cx="12" cy="12" r="1.3"/><circle cx="19" cy="12" r="1.3"/>',
    "close": '<path d="M6 6l12 12M18 6L6 18"/>',
    "plus": '<path d="M12 5v14M5 12h14"/>',
    "chevron-down": '<path d="M6 9l6 6 6-6"/>',
    "chevron-left": '<path d="M15 6l-6 6 6 6"/>',
    "arrow-up": '<path d="M12 19V5M6 11l6-6 6 6"/>',
    "arrow-down": '<path d="M12 5v14M6 13l6 6 6-6"/>',
    "swap": '<path d="M4 8h13M13 4l4 4-4 4M20 16H7M11 12l-4 4 4 4"/>',
    "trash": '<path d="M4 7h16M10 11v6M14 11v6M6 7l1 13h10l1-13M9 7V4h6v3"/>',
    "print": '<path d="M7 9V3h10v6M7 17H4v-7h16v7h-3M7 14h10v7H7z"/>',
    "download": '<path d="M12 4v11M7 10l5 5 5-5M5 20h14"/>',
    "upload": '<path d="M12 20V9M7 14l5-5 5 5M5 4h14"/>',
    "copy": '<path d="M9 9h11v11H9zM5 15H4V4h11v1"/>',
    "user": '<circle cx="12" cy="8" r="4"/><path d="M4 21c1-4 4-6 8-6s7 2 8 6"/>',
    "users": '<circle cx="9" cy="8" r="3.5"/><path d="M2 20c.8-3.5 3.4-5.5 7-5.5s6.2 2 7 5.5M16 4.5a3.5 3.5 0 010 7M18 14.5c2 .6 3.4 2.4 4 5.5"/>',
    "ruler": '<path d="M3 16 16 3l5 5L8 21z"/><path d="M7 12l2 2M10 9l2 2M13 6l2 2"/>',
    "home": '<path d="M3 11l9-7 9 7M5 10v10h14V10"/>',
    "list": '<path d="M9 6h11M9 12h11M9 18h11M4 6h.01M4 12h.01M4 18h.01"/>',
    "book": '<path d="M4 5a2 2 0 012-2h14v16H6a2 2 0 00-2 2zM4 5v16"/>',
    "layers": '<path d="M12 3l9 5-9 5-9-5zM3 13l9 5 9-5"/>',
    "chart": '<path d="M4 20V4M4 20h16M8 16v-5M12 16V8M16 16v-3"/>',
    "info": '<circle cx="12" cy="12" r="9"/><path d="M12 11v5M12 8h.01"/>',
    "check": '<path d="M5 12l5 5 9-10"/>',
    "alert": '<path d="M12 3l10 18H2zM12 10v4M12 17h.01"/>',
    "logout": '<path d="M15 4h4v16h-4M10 8l-4 4 4 4M6 12h10"/>',
    "edit": '<path d="M4 20h4L19 9l-4-4L4 16zM13 7l4 4"/>',
    "spark": '<path d="M12 3v5M12 16v5M3 12h5M16 12h5M6 6l3 3M15 15l3 3M18 6l-3 3M9 15l-3 3"/>',
    "settings": '<circle cx="12" cy="12" r="3"/><path d="M12 2v3M12 19v3M2 12h3M19 12h3M5 5l2 2M17 17l2 2M19 5l-2 2M7 17l-2 2"/>',
    "bell": '<path d="M6 9a6 6 0 0 1 12 0c0 6 2.5 8 2.5 8h-17S6 15 6 9M10 20.5a2 2 0 0 0 4 0"/>',
    "star": '<path d="M12 3l2.7 5.6 6.1.9-4.4 4.3 1 6.1L12 17l-5.4 2.9 1-6.1L3.2 9.5l6.1-.9z"/>',
}


@register.simple_tag
def icon(name: str, css: str = "icon") -> SafeString:
    """An inline SVG icon; an unknown name is a programming error."""
    return _icon(name, css)


@functools.lru_cache(maxsize=512, typed=True)  # typed: a safe class name is not escaped
def _icon(name: str, css: str) -> SafeString:
    """The markup of one (name, class) pair, built once per process (a header draws a dozen). Size,
    stroke and fill come from the ``.icon`` rule in app.css, not from ~150 bytes of attributes
    repeated on every icon (issue 18)."""
    body = ICONS[name]
    return format_html(
        '<svg class="{}" viewBox="0 0 24 24" aria-hidden="true">{}</svg>',
        css,
        mark_safe(body),  # noqa: S308 - constant markup from ICONS above, never user input
    )


_SYMBOL_ATTRS = 'viewBox="0 0 24 24"'  # stroke and fill: inherited from the referring .icon


@register.simple_tag
def icon_ref(name: str, css: str = "icon") -> SafeString:
    """The same icon drawn from the page's ``{% icon_sprite %}`` (about 60 bytes instead of 300:
    for pages that repeat icons on every row, such as the program builder)."""
    if name not in ICONS:
        raise KeyError(name)
    return format_html('<svg class="{}" aria-hidden="true"><use href="#i-{}"></use></svg>', css, name)


@register.simple_tag
def icon_sprite(*names: str) -> SafeString:
    """One hidden ``<svg>`` of ``<symbol>``s that ``icon_ref`` points at; once per page."""
    symbols = "".join(f'<symbol id="i-{name}" {_SYMBOL_ATTRS}>{ICONS[name]}</symbol>' for name in names)
    return mark_safe(f'<svg class="icon-sprite" hidden aria-hidden="true">{symbols}</svg>')  # noqa: S308 - constant markup from ICONS


@register.simple_tag(takes_context=True)
def current(context: template.Context, url: str, exact: bool = False) -> SafeString:
    """`` aria-current="page"`` on a navigation link whose address is the page's (or, unless
    ``exact``, a parent of it)."""
    request = context.get("request")
    path = getattr(request, "path", "")
    hit = path == url if exact or url == "/" else path.startswith(url)
    return mark_safe(' aria-current="page"') if hit else mark_safe("")


@dataclass(frozen=True)
class NavViewer:
    """All of the viewer the navigation shows (``_nav_links.html`` sees this, not the user)."""

    is_authenticated: bool
    full_name: str
    email: str
    is_staff: bool


@dataclass(frozen=True)
class _NavRequest:
    path: str  # all of the request the navigation reads: ``{% current %}`` marks the page's link


@register.simple_tag(takes_context=True)
def nav_links(context: template.Context) -> SafeString:
    """The main navigation's links (``_nav_links.html``). base.html shows them twice (wide screens,
    and the phone's Menu); both come from one markup, built once per process for each viewer and
    page (:func:`nav_markup`), with the request's CSRF token in the log-out form."""
    page_key = "hypertroq_nav_links"
    html: SafeString | None = context.render_context.get(page_key)
    if html is None:
        request = context.get("request")
        user = context.get("user")
        if user is not None and user.is_authenticated:
            viewer = NavViewer(True, user.full_name or "", user.email, bool(user.is_staff))
        else:
            viewer = NavViewer(False, "", "", False)
        path = getattr(request, "path", "")
        markup = nav_markup(viewer, bool(context.get("show_members_nav")), path, get_script_prefix())
        html = with_csrf(request, markup) if request is not None else mark_safe(markup)  # noqa: S308
        context.render_context[page_key] = html  # the second copy is the first's markup
    return html


@functools.lru_cache(maxsize=1024)
def nav_markup(viewer: NavViewer, show_members_nav: bool, path: str, script_prefix: str) -> str:
    """The navigation for this viewer on this page, with ``CSRF_PLACEHOLDER`` for the token.

    It is rendered from these arguments alone (a context of nothing else), so the markup is a
    function of the cache's key: a viewer's name or staff flag, the Members entry, the current page
    and the links' prefix (the script prefix, which ``{% url %}`` follows) are all in it, and
    nothing else can be. Bounded: an address nobody opens again falls out."""
    nav = Engine.get_default().get_template("_nav_links.html")
    context = template.Context(
        {
            "user": viewer,
            "show_members_nav": show_members_nav,
            "request": _NavRequest(path),
            "csrf_token": CSRF_PLACEHOLDER,
        }
    )
    return nav.render(context)
