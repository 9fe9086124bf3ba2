"""Rendered HTML fragments in the cache, under keys that change whenever what they show changes.

Two kinds of key:

* **The templates list's key**: its stamp (how many templates, their latest ``updated_at`` and
  the sum of their ``content_version``: one plain statement per request), the viewer's volume
  settings and :func:`markup_stamp`.
* **The builder's keys** (``programs.views.common.builder_context``): kind, program id, the
  program's ``content_version``, structure type, frequency, owner id, viewer id, the editable and
  member-view flags, the viewer's volume settings and :func:`markup_stamp`. ``content_version`` is
  raised by PostgreSQL triggers (programs migration 0005) on every write of the program's sessions,
  session exercises or their exercises, whichever code writes, so the key changes with the data
  without reading it: on a hit the page runs no aggregate query and builds no volume. A request
  that wrote (anything but GET/HEAD) keys by the version read with the rows in the same statement,
  since its program was loaded before its own write.

Either way a fragment can never show one lifter another's data: the owner's and viewer's ids are
part of the key. Old fragments are simply never read again and expire.

Fragments hold no per-request secret: forms in them carry ``hypertroq.http.CSRF_PLACEHOLDER``,
replaced by the request's (masked) token on the way out (``hypertroq.http.with_csrf``).

**When the code changes**, the builder's keys must too, or a deploy would serve the old markup (or
figures computed by the old volume maths) from the cache for up to ``FRAGMENT_SECONDS``: the keys
carry the data's version, not the data. :func:`markup_stamp` digests the templates and modules
that draw the fragments and compute what they show (``MARKUP_SOURCES``) once per process, so
editing them needs nothing more; bump ``MARKUP_VERSION`` when the fragments change through
anything else (a template tag, a model property or an included template defined elsewhere and
not listed there).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path

from django.core.cache import cache
from django.template.loader import get_template

# An edit makes a new key, and the old fragment (about 200 KB for a 6 × 6 builder) just waits to
# expire: an hour keeps what a session of edits leaves behind small.
FRAGMENT_SECONDS = 3600

# Bump when the builder's cached markup changes in a way MARKUP_SOURCES does not see.
MARKUP_VERSION = 1
# What draws the builder's fragments, and what computes what they show (the volume maths and the
# aggregate query: the keys carry the data's version, not the data): a folder stands for its .py
# files.
MARKUP_SOURCES = (
    "template:programs/program_detail.html",
    "template:programs/partials/volume_panel.html",
    "template:programs/partials/volume_summary.html",
    "template:programs/partials/template_cards.html",
    "template:programs/partials/mini_bars.html",
    "module:programs/rendering.py",
    "module:programs/templatetags/program_tags.py",
    "module:programs/views/common.py",
    "module:programs/volume",
    "module:programs/selectors/volume.py",
    "module:hypertroq/templatetags/ui.py",
)
_APP_ROOT = Path(__file__).resolve().parent.parent


@functools.cache
def markup_stamp() -> str:
    """``MARKUP_VERSION`` and a digest of the sources that draw the builder's fragments and compute
    what they show (read once per process): new code, new keys, with no one having to remember to
    bump anything."""
    digest = hashlib.blake2b(digest_size=8)
    for source in MARKUP_SOURCES:
        kind, name = source.split(":", 1)
        path = _APP_ROOT / name
        if kind == "template":
            digest.update(get_template(name).template.source.encode())  # type: ignore[attr-defined]
        elif path.is_dir():
            for module in sorted(path.glob("*.py")):
                digest.update(module.read_bytes())
        else:
            digest.update(path.read_bytes())
    return f"{MARKUP_VERSION}.{digest.hexdigest()}"


def fragment_key(kind: str, *parts: object) -> str:
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=20).hexdigest()
    return f"programs:fragment:{kind}:{digest}"


def cached_html(key: str, render: Callable[[], str], seconds: int = FRAGMENT_SECONDS) -> str:
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, seconds)
    return html


class FragmentSet:
    """A page's cached fragments, looked up together: the first one the template reaches reads
    them all from the cache in one round trip (``cache.get_many``). ``keys`` is called then, not
    before (an answer that renders no cached region never makes a key), and returns the keys of
    the fragments still wanted, by name."""

    def __init__(self, keys: Callable[[], dict[str, str]]) -> None:
        self._keys = keys
        self._made: dict[str, str] | None = None
        self._found: dict[str, str] = {}

    def keys(self) -> dict[str, str]:
        if self._made is None:
            self._made = self._keys()
            found = cache.get_many(self._made.values()) if self._made else {}
            self._found = {name: found[key] for name, key in self._made.items() if key in found}
        return self._made

    def slot(self, name: str) -> FragmentSlot:
        return FragmentSlot(self, name)

    def html(self, name: str, render: Callable[[], str]) -> str:
        keys = self.keys()
        html = self._found.get(name)
        if html is None:
            html = render()
            if name in keys:
                cache.set(keys[name], html, FRAGMENT_SECONDS)
        return html


class FragmentSlot:
    """One fragment of a :class:`FragmentSet`: what ``{% cachedfragment %}`` is given."""

    def __init__(self, fragments: FragmentSet, name: str) -> None:
        self.fragments = fragments
        self.name = name

    @property
    def key(self) -> str:
        return self.fragments.keys().get(self.name, "")

    def html(self, render: Callable[[], str]) -> str:
        return self.fragments.html(self.name, render)


def fragment_keys(kind: str, names: Iterable[str], *parts: object) -> dict[str, str]:
    """``fragment_key(f"{kind}-{name}", *parts)`` for each name, hashing ``parts`` once."""
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=20).hexdigest()
    return {name: f"programs:fragment:{kind}-{name}:{digest}" for name in names}
