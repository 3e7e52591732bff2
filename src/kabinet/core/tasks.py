"""Background work of the kernel. Tasks are thin: they only call services."""

from django.core.mail import EmailMultiAlternatives
from django.tasks import task

from kabinet.core.selectors import mail_from


@task
def deliver_email(
    *, subject: str, body: str, to: list[str], html: str = "", from_email: str | None = None
) -> int:
    """Send one message through the configured mailer (outbox file or SMTP), from the
    organisation (`core.selectors.mail_from`)."""
    message = EmailMultiAlternatives(
        subject=subject, body=body, to=to, from_email=mail_from(from_email)
    )
    if html:
        message.attach_alternative(html, "text/html")
    return message.send()


@task
def deliver_sms(*, phone: str, text: str) -> str:
    """Send one SMS through the configured gateway (outbox file, SMS.ru, …)."""
    # import here: core.sms imports this task to enqueue it (cycle)
    from kabinet.core.sms import send_sms

    return send_sms(phone, text)
