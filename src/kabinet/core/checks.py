"""System checks that keep the demo's machinery out of a real deployment.

The embedded mode and the demo run on defaults a real site must not keep: mail and SMS written to
folders (read by staff on «Демо-почта» / «Демо-SMS»), a per-process cache that multiplies every rate
limit by the number of workers, links and senders at `127.0.0.1` and `*.localhost`. Outside the
demo (`KABINET_DEMO_TOOLS` off — always in production.py — with DEBUG off) each of them is an
Error, so every `kabinet` command, `kabinet check --deploy` included, stops and names the variable
to set. The payment provider is checked by billing (billing.E002–E004).

- core.E001 SITE_URL is the local default or not https (links in mail lead nowhere)
- core.E002 mail is not sent by SMTP, or EMAIL_HOST is empty
- core.E003 no real SMS gateway (SMS_BACKEND empty, a file/memory outbox, SMS.ru without its id)
- core.E004 the cache is per process (CACHE_URL) or names Redis without the `redis` package
- core.E005 TRUSTED_PROXY_COUNT was not said (0 is a valid answer)
- core.E006 DEFAULT_FROM_EMAIL / SERVER_EMAIL at a `.localhost` address
- core.E007 KABINET_REPLY_DOMAIN is the `.localhost` default (replies by mail would bounce)
"""

from __future__ import annotations

import importlib.util
from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, register

DEMO_SMS_BACKENDS = ("kabinet.core.sms.OutboxSmsBackend", "kabinet.core.sms.LocmemSmsBackend")
PER_PROCESS_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)
ENV_HINT = "See docs/deploy.md and .env.example."


def demo_tools_on() -> bool:
    """The demo's machinery is allowed: the demo/embedded mode, the tests, or DEBUG."""
    return bool(settings.DEBUG or getattr(settings, "KABINET_DEMO_TOOLS", False))


def _local_host(host: str) -> bool:
    host = host.lower().rstrip(".")
    return host in ("localhost", "127.0.0.1", "::1", "") or host.endswith(".localhost")


def _site_url() -> list[Error]:
    url = urlsplit(settings.SITE_URL)
    if url.scheme == "https" and not _local_host(url.hostname or ""):
        return []
    return [
        Error(
            f"SITE_URL is {settings.SITE_URL!r}: links in mail (password reset, invitations, "
            "notifications) would lead there.",
            hint="Set SITE_URL to the portal's public https address. " + ENV_HINT,
            id="core.E001",
        )
    ]


def _mail() -> list[Error]:
    mailer = settings.MAILERS.get("default", {})
    backend = mailer.get("BACKEND", "")
    if backend != "django.core.mail.backends.smtp.EmailBackend":
        return [
            Error(
                f"Mail goes to {backend!r}, not to an SMTP server: nobody receives it "
                "(the file outbox is the demo's).",
                hint="Set EMAIL_MODE=smtp and EMAIL_HOST (EMAIL_PORT, EMAIL_HOST_USER, …). "
                + ENV_HINT,
                id="core.E002",
            )
        ]
    if not mailer.get("OPTIONS", {}).get("host"):
        return [
            Error(
                "EMAIL_HOST is not set: there is no SMTP server to send mail through.",
                hint="Set EMAIL_HOST (and EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, "
                "EMAIL_USE_TLS). " + ENV_HINT,
                id="core.E002",
            )
        ]
    return []


def _sms() -> list[Error]:
    backend = getattr(settings, "SMS_BACKEND", "")
    if not backend or backend in DEMO_SMS_BACKENDS:
        return [
            Error(
                f"SMS_BACKEND is {backend or 'not set'}: one-time codes would not reach phones "
                "(the file outbox is the demo's).",
                hint="Set SMS_BACKEND to a gateway, e.g. kabinet.core.sms.SmsRuBackend with "
                "SMS_RU_API_ID. " + ENV_HINT,
                id="core.E003",
            )
        ]
    if backend == "kabinet.core.sms.SmsRuBackend" and not getattr(settings, "SMS_RU_API_ID", ""):
        return [
            Error(
                "SMS_BACKEND is SMS.ru but SMS_RU_API_ID is empty.",
                hint="Set SMS_RU_API_ID. " + ENV_HINT,
                id="core.E003",
            )
        ]
    return []


def _cache() -> list[Error]:
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend in PER_PROCESS_CACHES:
        return [
            Error(
                f"The cache is {backend.rsplit('.', 1)[-1]}, one per process: every rate limit "
                "(failed logins, one-time codes) is multiplied by the number of workers.",
                hint="Set CACHE_URL to a shared cache: dbcache://kabinet_cache is enough "
                "(then run `kabinet createcachetable` once), or redis://… " + ENV_HINT,
                id="core.E004",
            )
        ]
    redis_backends = (
        "django.core.cache.backends.redis.RedisCache",
        "django_redis.cache.RedisCache",
    )
    if backend in redis_backends and importlib.util.find_spec("redis") is None:
        return [
            Error(
                "CACHE_URL names Redis, but the `redis` Python package is not installed.",
                hint="Install it into the .venv, or use CACHE_URL=dbcache://kabinet_cache.",
                id="core.E004",
            )
        ]
    return []


def _proxies() -> list[Error]:
    count = getattr(settings, "ALLAUTH_TRUSTED_PROXY_COUNT", 0)
    if isinstance(count, int) and count >= 0:
        return []
    return [
        Error(
            "TRUSTED_PROXY_COUNT is not set. Behind nginx the default makes every client one "
            "address (one rate limit, one lockout for all; YooKassa's address check refuses "
            "every notification).",
            hint="Set TRUSTED_PROXY_COUNT to the number of proxies that append to "
            "X-Forwarded-For (1 for one nginx), or 0 when clients reach gunicorn directly. "
            + ENV_HINT,
            id="core.E005",
        )
    ]


def _senders() -> list[Error]:
    errors = []
    for name in ("DEFAULT_FROM_EMAIL", "SERVER_EMAIL"):
        address = parseaddr(getattr(settings, name, ""))[1]
        if _local_host(address.rpartition("@")[2]):
            errors.append(
                Error(
                    f"{name} is {address or 'empty'}: mail servers refuse a sender at a local "
                    "domain.",
                    hint=f"Set {name} to an address of the portal's domain. " + ENV_HINT,
                    id="core.E006",
                )
            )
    return errors


def _reply_domain() -> list[Error]:
    if not _local_host(getattr(settings, "KABINET_REPLY_DOMAIN", "")):
        return []
    return [
        Error(
            f"KABINET_REPLY_DOMAIN is {settings.KABINET_REPLY_DOMAIN!r}: replies to the portal's "
            "mail would bounce.",
            hint="Set KABINET_REPLY_DOMAIN to a domain whose mail the mail server hands to "
            "`kabinet mailgate` (LMTP). " + ENV_HINT,
            id="core.E007",
        )
    ]


@register(Tags.security)
def demo_machinery(app_configs=None, **kwargs) -> list[Error]:
    """Every demo default left in a deployment without the demo tools is an Error."""
    if demo_tools_on():
        return []
    return [
        *_site_url(),
        *_mail(),
        *_sms(),
        *_cache(),
        *_proxies(),
        *_senders(),
        *_reply_domain(),
    ]
