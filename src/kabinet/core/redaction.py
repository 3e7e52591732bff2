"""Secrets kept out of what is stored and logged: links that carry a token, codes and passwords.

Two tools:

- `mask_token_paths(text)` hides the token part of every token-bearing address Kabinet issues —
  password reset keys, email confirmation keys, invitation tokens, signed reply addresses — and of
  any an app registers later (`register_token_path`). The access logs use it: Django's logging
  through `MaskTokensFilter` (settings.LOGGING), gunicorn through `kabinet.core.gunicorn_logging`.
- `redact(text, secrets)` removes given secrets (one-time codes, generated passwords, the links
  themselves) and the token paths from a message body: the outbox keeps a sent message's record,
  not its usable secret (`notifications.services.outbox_deliver`).

Whoever renders a message knows its secrets: `secrets_in(context)` picks them from a template
context by the names the templates use for them (SECRET_CONTEXT_KEYS).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.html import escape

MASK = "***"
REDACTED = "[удалено после отправки]"

# Template context names whose value is a secret: allauth's reset/confirmation links, keys and
# codes; identity's generated passwords and codes (`secret`); customers' invitation links (`link`).
SECRET_CONTEXT_KEYS = ("secret", "code", "key", "link", "password_reset_url", "activate_url")
_MIN_SECRET_LENGTH = 4  # a shorter value would redact ordinary words and numbers

# Each pattern's group 1 is kept, group 2 (the token) is masked.
_TOKEN_PATHS: list[re.Pattern[str]] = [
    re.compile(r"(/accounts/password/reset/key/)([^/\s?#\"'<>]+)"),
    re.compile(r"(/accounts/confirm-email/)([^/\s?#\"'<>]+)"),
    re.compile(r"(/invitation/)([^/\s?#\"'<>]+)"),
    # signed reply addresses (reply+<token>@domain) and Message-IDs carrying the token
    re.compile(r"(reply\+)([A-Za-z0-9]+)(?=@)", re.IGNORECASE),
]


def register_token_path(pattern: str) -> None:
    """Another token-bearing address to mask: a regex whose group 1 is kept and group 2 masked
    (e.g. a signed unsubscribe link). Called from an app's `ready()`."""
    _TOKEN_PATHS.append(re.compile(pattern))


def mask_token_paths(text: str, *, mask: str = MASK) -> str:
    for pattern in _TOKEN_PATHS:
        text = pattern.sub(lambda m: m.group(1) + mask, text)
    return text


def secrets_in(context: Mapping[str, Any]) -> list[str]:
    """The secret values of a message's template context, as they appear in its text."""
    found = []
    for key in SECRET_CONTEXT_KEYS:
        value = context.get(key)
        if value and len(str(value)) >= _MIN_SECRET_LENGTH:
            found.append(str(value))
    return found


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` without the tokens of token-bearing links (the link's shape stays readable) and
    without the given secrets (as typed and HTML-escaped, longest first)."""
    text = mask_token_paths(text)
    for secret in sorted({s for s in secrets if s}, key=len, reverse=True):
        for form in {secret, str(escape(secret))}:
            text = text.replace(form, REDACTED)
    return text


class MaskTokensFilter(logging.Filter):
    """A logging filter that masks token paths in a record's message (Django's «Not Found:
    /accounts/password/reset/key/…», runserver's request lines, anything else)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = mask_token_paths(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(
                mask_token_paths(a) if isinstance(a, str) else a for a in record.args
            )
        elif isinstance(record.args, Mapping):
            record.args = {
                k: mask_token_paths(v) if isinstance(v, str) else v for k, v in record.args.items()
            }
        return True
