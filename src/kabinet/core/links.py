"""Links to the faces' pages for the layers below them, and absolute URLs for mail.

A domain that must point a person at a page (a mail about a request, a bill in the bell, an
invitation's link) asks `url_for(kind, ...)`; the faces register how each kind is built
(`link_register`, from their `AppConfig.ready()`), so no lower layer names a face's URL.
`absolute_url` is the one way to turn a path into a link that works outside the site (SITE_URL).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings

_builders: dict[str, Callable[..., str]] = {}


def link_register(kind: str, builder: Callable[..., str]) -> None:
    """Let `url_for(kind, *args)` answer `builder(*args)` (a path on this site)."""
    _builders[kind] = builder


def url_for(kind: str, *args, absolute: bool = False, **kwargs) -> str:
    """The path (or, with `absolute`, the full link) of the page a face registered for `kind`.
    LookupError when no face registered it (a deployment without that face)."""
    try:
        builder = _builders[kind]
    except KeyError:
        raise LookupError(f"No face registered a link for {kind!r}") from None
    path = builder(*args, **kwargs)
    return absolute_url(path) if absolute else path


def absolute_url(path: str) -> str:
    """`path` on the site's public address (SITE_URL); a full link and "" stay as they are."""
    if not path or path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL.rstrip("/") + "/" + path.lstrip("/")
