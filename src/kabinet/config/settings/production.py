"""Production: every secret from the environment, no defaults; HTTPS everywhere.

Required: SECRET_KEY, DATABASE_URL, ALLOWED_HOSTS. `manage.py check --deploy` passes with 0 warnings.
"""

from .base import *
from .base import env

DEBUG = False
SECRET_KEY = env.str("SECRET_KEY")
DATABASES = {"default": env.db_url("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
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
