"""allauth hooks: who may sign up, and mail sent by the background worker after the commit."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.db import transaction

from kabinet.core.tasks import deliver_email


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return getattr(settings, "KABINET_SIGNUP_OPEN", False)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        message = self.render_mail(template_prefix, email, context)
        html = ""
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                html = content
        payload = {
            "subject": str(message.subject),
            "body": str(message.body),
            "to": list(message.to),
            "html": html,
            "from_email": message.from_email,
        }
        # The request that caused the mail must have committed before the worker sends it.
        transaction.on_commit(lambda: deliver_email.enqueue(**payload))
