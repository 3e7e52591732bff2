"""Production: every secret from the environment, no defaults; HTTPS everywhere; no demo tools.

Required to start: SECRET_KEY, DATABASE_URL, ALLOWED_HOSTS. Required to pass the system checks (every
`kabinet` command runs them; docs/deploy.md lists them): SITE_URL,
DEFAULT_FROM_EMAIL, EMAIL_HOST (SMTP), SMS_BACKEND (a real gateway), KABINET_PAYMENT_PROVIDER (with
its credentials), CACHE_URL (shared), TRUSTED_PROXY_COUNT, KABINET_REPLY_DOMAIN. With them,
`kabinet check --deploy` passes with 0 warnings (tests/integration/test_deploy.py).
"""

from .base import *
from .base import env, mailers_for

DEBUG = False
# No file outboxes, demo pages, sandbox without a banner or `kabinet demo` (base.py says which).
KABINET_DEMO_TOOLS = False
SECRET_KEY = env.str("SECRET_KEY")
DATABASES = {"default": env.db_url("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # an unreachable server fails the request in seconds (a 503 page, kabinet.core.errors), not
    # after the OS's TCP timeout of minutes while the gunicorn worker hangs
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env.int(
        "DATABASE_CONNECT_TIMEOUT", default=5
    )
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True

# The payee printed on receipts: no demo defaults here. The organisation profile's «Реквизиты для
# оплаты» (back office) are used when complete; KABINET_PAYEE_* only when set (then checked,
# billing.E001). With neither, receipts say they are unavailable and `kabinet migrate` warns
# (billing.W001).
KABINET_PAYEE_NAME = env.str("KABINET_PAYEE_NAME", default="")
KABINET_PAYEE_INN = env.str("KABINET_PAYEE_INN", default="")
KABINET_PAYEE_KPP = env.str("KABINET_PAYEE_KPP", default="")
KABINET_PAYEE_BIK = env.str("KABINET_PAYEE_BIK", default="")
KABINET_PAYEE_ACCOUNT = env.str("KABINET_PAYEE_ACCOUNT", default="")
KABINET_PAYEE_CORRESPONDENT_ACCOUNT = env.str("KABINET_PAYEE_CORRESPONDENT_ACCOUNT", default="")
KABINET_PAYEE_BANK_NAME = env.str("KABINET_PAYEE_BANK_NAME", default="")

# --- Demo defaults removed: each missing one is a system-check error (core/checks.py, billing) ---
# sandbox | yookassa; the sandbox only with KABINET_ALLOW_SANDBOX_IN_PRODUCTION (billing.E003)
KABINET_PAYMENT_PROVIDER = env.str("KABINET_PAYMENT_PROVIDER", default="")
# SMTP, with no default host (core.E002); EMAIL_MODE=outbox is refused too
EMAIL_MODE = env.str("EMAIL_MODE", default="smtp")
MAILERS = mailers_for(EMAIL_MODE, default_host="")
# a real SMS gateway, e.g. kabinet.core.sms.SmsRuBackend with SMS_RU_API_ID (core.E003)
SMS_BACKEND = env.str("SMS_BACKEND", default="")
# "not said" (-1) behaves as 0 at run time but is an error (core.E005): 0 is a valid answer only
# when nothing stands between the clients and gunicorn
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=-1)
