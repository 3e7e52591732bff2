"""Mail that leaves after the caller's transaction commits, for apps below the notifications engine.

Identity (activation, reset, codes) and customers (invitations, decisions) cannot import
`kabinet.notifications`, which sits above them, yet their mail deserves the same durability: a row in
the outbox, retried while SMTP is down. So the engine registers itself here
(`register_mail_transport`, from its `AppConfig.ready()`), and `mail_after_commit` uses it; without
it (a deployment that leaves the notifications app out) the message goes to the task queue directly.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.db import transaction

MailTransport = Callable[..., None]  # (*, subject, body, to, html, from_email, redact) -> None
_transport: MailTransport | None = None


def register_mail_transport(transport: MailTransport | None) -> None:
    global _transport
    _transport = transport


def mail_after_commit(
    *,
    subject: str,
    body: str,
    to: list[str],
    html: str = "",
    from_email: str | None = None,
    redact: Sequence[str] = (),
) -> None:
    """Queue one message in the caller's transaction; nothing is sent if it rolls back.

    `redact`: the message's secrets (codes, passwords, links with a key — `core.redaction.secrets_in`),
    taken out of the outbox's stored copy once the message has left."""
    if _transport is not None:
        _transport(
            subject=subject, body=body, to=to, html=html, from_email=from_email, redact=redact
        )
        return
    from kabinet.core.tasks import deliver_email

    transaction.on_commit(
        lambda: deliver_email.enqueue(
            subject=subject, body=body, to=to, html=html, from_email=from_email
        )
    )
