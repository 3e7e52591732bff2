"""Settings shared by every environment.

Everything that differs between deployments comes from environment variables (see `.env.example`).
This module holds safe *defaults for development*; `production.py` removes every default for a secret.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from kabinet.core.modules import resolve_enabled_modules, resolve_signup_flows

PACKAGE_DIR = Path(__file__).resolve().parent.parent.parent  # src/kabinet
BASE_DIR = Path(environ.Env().str("KABINET_HOME", default=str(Path.cwd())))

env = environ.Env()
ENV_FILE = BASE_DIR / ".env"
if ENV_FILE.is_file():
    env.read_env(str(ENV_FILE))

DATA_DIR = Path(env.str("KABINET_DATA_DIR", default=str(BASE_DIR / "var")))

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "allauth",
    "allauth.account",
    "kabinet.identity.captcha_app.CaptchaConfig",  # django-simple-captcha
    "allauth.mfa",
    "allauth.usersessions",
    "axes",
    "django_tasks_db",
    # Kabinet, from the kernel up (see docs/architecture.md)
    "kabinet.core",
    "kabinet.identity",
    "kabinet.customers",
    "kabinet.metering",
    "kabinet.notifications",
    "kabinet.servicedesk",
    "kabinet.documents",
    "kabinet.billing",
    "kabinet.grid",
    "kabinet.supply",
    "kabinet.surveys",
    "kabinet.portal",
    "kabinet.backoffice",
    "kabinet.api",
    "kabinet.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # the audit context (client IP, user agent) every audit event of the request carries
    "kabinet.core.audit.AuditContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kabinet.core.middleware.LanguageMiddleware",
    # a NUL in the query string is dropped before a view filters by it (PostgreSQL refuses one)
    "kabinet.core.middleware.QueryNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    # before CSRF, whose check reads (and stores) the whole body
    "kabinet.core.middleware.UploadLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # allauth's UserSessionsMiddleware, throttled: a session's activity is written at most once
    # per KABINET_SESSION_ACTIVITY_MINUTES, so a GET writes nothing
    "kabinet.identity.middleware.SessionActivityMiddleware",
    "kabinet.identity.middleware.ImpersonationMiddleware",
    "kabinet.portal.middleware.AccessibilityMiddleware",
    "kabinet.portal.middleware.CustomerAccessMiddleware",
    "kabinet.core.middleware.ModuleGateMiddleware",
    # last, so it sees the lockout flag the authentication backend set during the view
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kabinet.config.urls"
WSGI_APPLICATION = "kabinet.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kabinet.portal.context_processors.portal",
                # a page rendered for the page cache holds a placeholder instead of the CSRF token
                "kabinet.core.pagecache.csrf",
            ],
            "builtins": [
                "kabinet.core.templatetags.ru_formats",
                "kabinet.core.templatetags.kabinet_forms",
            ],
        },
    },
]

# --- Database: SQLite (WAL) embedded by default, PostgreSQL through DATABASE_URL ---------------
# WAL lets the web server read while the worker writes; IMMEDIATE avoids "database is locked"
# upgrades from read to write transactions. production.py builds its database with the same
# function, so these options hold whenever the URL is SQLite (issue 14).
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
    "transaction_mode": "IMMEDIATE",
}


def database_from_env(default: str | None = None) -> dict:
    """The default database from DATABASE_URL: SQLite with the project's options, else pooled."""
    database = (
        env.db_url("DATABASE_URL", default=default) if default else env.db_url("DATABASE_URL")
    )
    if database["ENGINE"] == "django.db.backends.sqlite3":
        # the embedded database lives in the data folder, which a fresh clone does not have yet
        Path(database["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        database["OPTIONS"] = {**SQLITE_OPTIONS, **database.get("OPTIONS", {})}
    else:
        database["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
        database["CONN_HEALTH_CHECKS"] = True
    return database


DATABASES = {"default": database_from_env(f"sqlite:///{DATA_DIR / 'kabinet.sqlite3'}")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Identity ----------------------------------------------------------------------------------
AUTH_USER_MODEL = "identity.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked login before any password is checked
    "axes.backends.AxesStandaloneBackend",
    # allauth's backend is a ModelBackend (permissions) that logs in by email or phone and
    # hashes a dummy password for unknown logins, so timing does not reveal accounts
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    # Django's similarity check with a message that reads in Russian
    {"NAME": "kabinet.identity.validators.UserAttributeSimilarityValidator"},
    # length + lower/upper Latin letters + digits (docs/domain.md), configurable below
    {"NAME": "kabinet.identity.validators.CharacterClassesValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "portal:dashboard"
LOGOUT_REDIRECT_URL = "account_login"

ACCOUNT_ADAPTER = "kabinet.identity.adapter.AccountAdapter"
ACCOUNT_FORMS = {
    "login": "kabinet.identity.forms.LoginForm",
    "signup": "kabinet.identity.forms.SignupForm",
}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
# A confirmed mobile phone is a login too (identity.adapter: get_user_by_phone).
ACCOUNT_LOGIN_METHODS = {"email", "phone"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SESSION_REMEMBER = None  # the user chooses: «Запомнить меня»
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_CHANGE_EMAIL = True  # a new address replaces the old one only once it is verified
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
# Changing the email (and the phone) asks for the password again, as 2FA changes do
# (MFA_REAUTHENTICATION_REQUIRED, on by default); a password change asks for the old password.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
# Every change of the password, email or 2FA is told by mail; an email change at the old address.
ACCOUNT_EMAIL_NOTIFICATIONS = True
# allauth's `login_failed` limit, on top of the login+address lockout (django-axes, below): per
# client address, and per account ("key": the login for passwords, the user for the two-factor
# code step — after N wrong codes the second step is refused for a while, from any address).
KABINET_LOGIN_IP_LIMIT = env.str("KABINET_LOGIN_IP_LIMIT", default="30/10m/ip")
KABINET_LOGIN_KEY_LIMIT = env.str("KABINET_LOGIN_KEY_LIMIT", default="10/15m/key")
ACCOUNT_RATE_LIMITS = {"login_failed": f"{KABINET_LOGIN_IP_LIMIT},{KABINET_LOGIN_KEY_LIMIT}"}
# The public connection application (/connect/), through allauth's limiter: per client address
# and per applicant's email (the receipt is mailed there), counted for CAPTCHA-solved submits.
ACCOUNT_RATE_LIMITS["connection_apply"] = env.str(
    "KABINET_CONNECTION_RATE_LIMIT", default="5/h/ip,2/h/key"
)
# The internet reception's anonymous submissions, per client address.
# A customer's personal API token (/api/v1/me/), per token.
ACCOUNT_RATE_LIMITS["api_personal"] = env.str("KABINET_API_PERSONAL_RATE_LIMIT", default="60/m/key")
ACCOUNT_RATE_LIMITS["reception_submit"] = env.str("KABINET_RECEPTION_RATE_LIMIT", default="5/h/ip")
# The public signature check (/verify/), per client address: codes are long, but guessing is slowed.
ACCOUNT_RATE_LIMITS["signature_verify"] = env.str(
    "KABINET_SIGNATURE_VERIFY_RATE_LIMIT", default="30/h/ip"
)
# How a simple electronic signature is confirmed (63-ФЗ art. 9): "password" — the signature
# password chosen in the profile; "sms" — a one-time code sent to the verified phone.
KABINET_SIGNATURE_METHOD = env.str("KABINET_SIGNATURE_METHOD", default="password")
KABINET_SIGNATURE_CODE_MINUTES = env.int("KABINET_SIGNATURE_CODE_MINUTES", default=10)

# Lockout (docs/domain.md): after N consecutive failed passwords for one login from one address, that
# login is blocked from that address for a while (kabinet.identity.lockout): a stranger's guesses
# do not shut the owner out, a lock ends by itself and grows while the guessing goes on, a
# password reset lifts it. Counted whether or not such an account exists, so it reveals nothing.
AXES_FAILURE_LIMIT = env.int("KABINET_LOCKOUT_FAILURES", default=5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = "kabinet.identity.lockout.cool_off"
AXES_USE_ATTEMPT_EXPIRATION = True  # each login+address pair keeps its own (progressive) wait
KABINET_LOCKOUT_COOLOFF_MINUTES = env.int("KABINET_LOCKOUT_COOLOFF_MINUTES", default=15)
KABINET_LOCKOUT_COOLOFF_MAX_MINUTES = env.int("KABINET_LOCKOUT_COOLOFF_MAX_MINUTES", default=1440)
# The login form shows the image CAPTCHA after this many failures from the address or for the login.
KABINET_LOGIN_CAPTCHA_AFTER = env.int("KABINET_LOGIN_CAPTCHA_AFTER", default=2)
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "kabinet.identity.lockout.login_from_credentials"
AXES_CLIENT_IP_CALLABLE = "kabinet.identity.lockout.client_ip"
AXES_LOCKOUT_CALLABLE = "kabinet.identity.lockout.lockout_response"
AXES_VERBOSE = False

# Two-factor authentication: TOTP with recovery codes; staff must use it (KABINET_STAFF_MFA_REQUIRED).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env.str("MFA_TOTP_ISSUER", default="Kabinet")
KABINET_STAFF_MFA_REQUIRED = env.bool("KABINET_STAFF_MFA_REQUIRED", default=True)
USERSESSIONS_TRACK_ACTIVITY = True
# …recorded at most once per this many minutes per session (identity.middleware), not on every GET
KABINET_SESSION_ACTIVITY_MINUTES = env.int("KABINET_SESSION_ACTIVITY_MINUTES", default=5)
# whole customer pages kept in the cache until their data changes (core/pagecache.py); off only to
# measure or debug the rendering itself
KABINET_PAGE_CACHE = env.bool("KABINET_PAGE_CACHE", default=True)
# the bell's unread count is cached this long per user (forgotten on every change: notifications/unread.py)
# a bill's receipt PDF is rendered by the task worker when the bill arrives (billing.services)
KABINET_RECEIPTS_PRERENDER = env.bool("KABINET_RECEIPTS_PRERENDER", default=True)
# a stored receipt is handed to nginx: the internal location's prefix, e.g. "/protected/" (nginx:
# `location /protected/ { internal; alias <MEDIA_ROOT>/; }`); empty: Django streams the file
KABINET_X_ACCEL_REDIRECT = env.str("KABINET_X_ACCEL_REDIRECT", default="")
KABINET_UNREAD_CACHE_SECONDS = env.int("KABINET_UNREAD_CACHE_SECONDS", default=60)
USERSESSIONS_ADAPTER = "kabinet.identity.adapter.UserSessionsAdapter"  # audits ended sessions
# Work under a customer's account ends by itself after this many minutes.
KABINET_IMPERSONATION_MAX_MINUTES = env.int("KABINET_IMPERSONATION_MAX_MINUTES", default=30)

# Behind a reverse proxy: how many proxies append to X-Forwarded-For (allauth's rate limits, the
# lockout, the audit log and YooKassa's address check use the same rule to find the client's
# address). 0 = use REMOTE_ADDR. production.py has no default (core.E005 until it is set).
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 24 * 14)
# db by default; cached_db with a shared cache (Redis) in the distributed mode (docs/deploy.md)
SESSION_ENGINE = env.str("SESSION_ENGINE", default="django.contrib.sessions.backends.db")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# --- Internationalisation: Russian first, English second ---------------------------------------
LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", "Русский"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Moscow")
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["kabinet.core.formats"]
LANGUAGE_COOKIE_NAME = "kabinet_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static and uploaded files -----------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(DATA_DIR / "static")))
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(DATA_DIR / "media")))
# No MEDIA_URL is served: every file goes through a permission-checked view.
MEDIA_URL = "/files/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
KABINET_LOGO_MAX_BYTES = env.int("KABINET_LOGO_MAX_BYTES", default=512 * 1024)
# Files in one upload form (a request's attachments, a power of attorney), checked against the
# announced body size before it is read; the public connection form allows one document only.
KABINET_UPLOAD_MAX_BYTES = env.int("KABINET_UPLOAD_MAX_BYTES", default=50 * 1024 * 1024)
KABINET_DOCUMENT_MAX_BYTES = env.int("KABINET_DOCUMENT_MAX_BYTES", default=5 * 1024 * 1024)
# A CSV or XLSX of accounts, meters or bills loaded by staff («Загрузка из файла»); 100,000 rows of
# bills are about 10 MB as CSV.
KABINET_IMPORT_MAX_BYTES = env.int("KABINET_IMPORT_MAX_BYTES", default=30 * 1024 * 1024)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if env.str("AWS_STORAGE_BUCKET_NAME", default=""):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default=None),
            "region_name": env.str("AWS_S3_REGION_NAME", default=None),
            "access_key": env.str("AWS_ACCESS_KEY_ID", default=None),
            "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default=None),
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 300,
            "file_overwrite": False,
        },
    }

# --- Mail: a file outbox in the embedded mode, SMTP in production ------------------------------
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Kabinet <noreply@kabinet.localhost>")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
KABINET_MAIL_OUTBOX_DIR = Path(env.str("KABINET_MAIL_OUTBOX_DIR", default=str(DATA_DIR / "outbox")))
EMAIL_MODES = ("outbox", "smtp")


def mailers_for(mode: str, *, default_host: str) -> dict:
    """Django's MAILERS for EMAIL_MODE `mode`: SMTP from the EMAIL_* variables, or the file outbox
    the demo mailbox reads (a demo tool: core.E002 refuses it outside the demo)."""
    if mode not in EMAIL_MODES:
        raise ImproperlyConfigured(f"EMAIL_MODE must be 'outbox' or 'smtp', not {mode!r}")
    if mode == "outbox":
        return {
            "default": {
                "BACKEND": "kabinet.core.mail.OutboxEmailBackend",
                "OPTIONS": {"directory": str(KABINET_MAIL_OUTBOX_DIR)},
            }
        }
    return {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env.str("EMAIL_HOST", default=default_host),
                "port": env.int("EMAIL_PORT", default=25),
                "username": env.str("EMAIL_HOST_USER", default=""),
                "password": env.str("EMAIL_HOST_PASSWORD", default=""),
                "use_tls": env.bool("EMAIL_USE_TLS", default=False),
                "use_ssl": env.bool("EMAIL_USE_SSL", default=False),
                "timeout": env.int("EMAIL_TIMEOUT", default=20),
            },
        }
    }


EMAIL_MODE = env.str("EMAIL_MODE", default="outbox")  # production.py: smtp
MAILERS = mailers_for(EMAIL_MODE, default_host="localhost")

# --- Background work: Django's tasks API on a durable database queue ---------------------------
TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
    }
}
# `kabinet task_worker`: a worker silent this long is dead and its running tasks are re-queued
KABINET_TASK_LEASE_SECONDS = env.int("KABINET_TASK_LEASE_SECONDS", default=30)

# --- Cache: local memory embedded; shared (database or Redis) in production ----------------------
# Rate limits (allauth, one-time codes) count in the cache: a per-process cache multiplies every limit
# by the number of processes, so outside the demo core.E004 asks for a shared one.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://kabinet")}


def _pages_cache(default: dict) -> dict:
    """The page cache (core/pagecache.py) beside the default one, on the same server but apart, so
    whole pages never push rate-limit counters out: a table of its own (`…_pages`, made by
    `kabinet createcachetable`), its own key prefix in Redis (whose eviction is the server's
    `maxmemory-policy`), or — beside the embedded mode's memory cache — files under
    DATA_DIR/cache/pages, which the web server and the task worker share. Pages are culled at
    their own MAX_ENTRIES."""
    pages = {**default, "OPTIONS": dict(default.get("OPTIONS") or {})}
    backend = default["BACKEND"]
    if backend.endswith("DatabaseCache"):
        pages["LOCATION"] = f"{default['LOCATION']}_pages"
        pages["OPTIONS"]["MAX_ENTRIES"] = 20000
    elif backend.endswith("LocMemCache"):
        # the embedded mode: the web server and the task worker are two processes on one
        # machine, and a receipt the worker stores must renew the web server's page
        pages = {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache" / "pages"),
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    else:
        pages["KEY_PREFIX"] = f"{default.get('KEY_PREFIX') or ''}pages"
    return pages


# the database and memory caches cull at 300 entries by default: far too few for the shell's
# per-person fragments beside the rate-limit counters
if CACHES["default"]["BACKEND"].endswith(("DatabaseCache", "LocMemCache")):
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 10000)
CACHES["pages"] = _pages_cache(CACHES["default"])

# --- Security headers --------------------------------------------------------------------------
from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Kabinet -----------------------------------------------------------------------------------
# The demo's tools: the file outboxes for mail and SMS with their «Демо-почта» and «Демо-SMS» staff
# pages, the sandbox acquirer without a banner, `kabinet demo`. On in the embedded mode and the
# tests; production.py switches them off, and then the system checks (core.E00x, billing.E00x)
# refuse every demo default that is left.
KABINET_DEMO_TOOLS = env.bool("KABINET_DEMO_TOOLS", default=True)
# Which modules this deployment switches on: a named profile, or an explicit list.
KABINET_PROFILE = env.str("KABINET_PROFILE", default="all")
KABINET_MODULES = resolve_enabled_modules(
    profile=KABINET_PROFILE, explicit=env.list("KABINET_MODULES", default=[])
)
# The subject of the address-confirmation mail where a deployment words it its own way (the
# support desk's portal, docs/domain.md: «Ссылка для подтверждения регистрации в Клиентском
# портале»); empty: allauth's wording.
KABINET_SIGNUP_CONFIRMATION_SUBJECT = env.str(
    "KABINET_SIGNUP_CONFIRMATION_SUBJECT",
    default="Ссылка для подтверждения регистрации в Клиентском портале"
    if KABINET_PROFILE == "support"
    else "",
)
# The customer's own profile is read-only («Все изменения доступны только администратору»): the
# support desk's portal (docs/domain.md) keeps people's names and numbers as its CRM has them.
KABINET_PROFILE_READ_ONLY = env.bool(
    "KABINET_PROFILE_READ_ONLY", default=KABINET_PROFILE == "support"
)
KABINET_SIGNUP_FLOWS = resolve_signup_flows(
    profile=KABINET_PROFILE, explicit=env.list("KABINET_SIGNUP_FLOWS", default=[])
)
# Self-registration (identity): password policy, phone on the signup form, generated passwords.
# Personal accounts: how a customer proves an account is theirs (receipt_code | last_bill_amount),
# whether the wizard links at once or sends a request to the operators (instant | approval), and
# how many failed attempts per hour a user gets.
KABINET_ACCOUNT_LINK_PROOF = env.str("KABINET_ACCOUNT_LINK_PROOF", default="receipt_code")
KABINET_ACCOUNT_LINK_MODE = env.str(
    "KABINET_ACCOUNT_LINK_MODE", default="approval" if KABINET_PROFILE == "grid" else "instant"
)
KABINET_ACCOUNT_LINK_ATTEMPTS = env.int("KABINET_ACCOUNT_LINK_ATTEMPTS", default=5)
# allauth's limiter (kabinet.core.ratelimit) counts the failed attempts per user
ACCOUNT_RATE_LIMITS["account_link_failed"] = f"{KABINET_ACCOUNT_LINK_ATTEMPTS}/h/key"
# Meter readings (docs/domain.md «Meter readings»): the days of the month customers may submit them (inclusive;
# an end past the month's last day means the last day), and how many times the usual consumption
# (average daily × days since the last reading) a reading may imply before it must be confirmed.
KABINET_READINGS_WINDOW_START = env.int("KABINET_READINGS_WINDOW_START", default=15)
KABINET_READINGS_WINDOW_END = env.int("KABINET_READINGS_WINDOW_END", default=25)
KABINET_READINGS_JUMP_FACTOR = env.int("KABINET_READINGS_JUMP_FACTOR", default=3)

# Billing: how many periods «Счета» shows, the payee printed on receipts and in their QR (demo
# values pass the check digits; a deployment sets its own), the payment provider and its limit.
KABINET_BILLS_PERIODS = env.int("KABINET_BILLS_PERIODS", default=6)
KABINET_PAYEE_NAME = env.str(
    "KABINET_PAYEE_NAME", default="ООО «Городская энергосбытовая компания»"
)
KABINET_PAYEE_INN = env.str("KABINET_PAYEE_INN", default="5503012347")
KABINET_PAYEE_KPP = env.str("KABINET_PAYEE_KPP", default="550301001")
KABINET_PAYEE_BIK = env.str("KABINET_PAYEE_BIK", default="045209777")
KABINET_PAYEE_ACCOUNT = env.str("KABINET_PAYEE_ACCOUNT", default="40702810945000012345")
KABINET_PAYEE_CORRESPONDENT_ACCOUNT = env.str(
    "KABINET_PAYEE_CORRESPONDENT_ACCOUNT", default="30101810000000000777"
)
KABINET_PAYEE_BANK_NAME = env.str("KABINET_PAYEE_BANK_NAME", default="АО «Сибирский демо-банк»")
# Reconciliation acts (their PDF and XLSX) are deleted this many days after they were asked for
# (`kabinet purge_acts`, run daily).
KABINET_ACT_RETENTION_DAYS = env.int("KABINET_ACT_RETENTION_DAYS", default=30)

# Daily jobs (each idempotent). A scaled deployment runs them from cron; in the embedded mode
# `kabinet serve` runs them at start and then every KABINET_DAILY_INTERVAL_MINUTES.
KABINET_DAILY_COMMANDS = env.list(
    "KABINET_DAILY_COMMANDS",
    default=[
        "readings_remind",
        "purge_acts",
        "purge_supply_bundles",
        "purge_idempotency_keys",
        "requests_overdue",
        "surveys_invite",
        "prune_db_task_results --queue-name *",
    ],
)
KABINET_DAILY_INTERVAL_MINUTES = env.int("KABINET_DAILY_INTERVAL_MINUTES", default=60)
KABINET_PAYMENT_PROVIDER = env.str("KABINET_PAYMENT_PROVIDER", default="sandbox")
# A staging site without the demo tools may keep the sandbox acquirer (its test cards lower real
# debts in the database!) only when it says so; every page then carries a banner (billing.E003).
KABINET_ALLOW_SANDBOX_IN_PRODUCTION = env.bool("KABINET_ALLOW_SANDBOX_IN_PRODUCTION", default=False)
KABINET_PAYMENT_MAX_AMOUNT = env.int("KABINET_PAYMENT_MAX_AMOUNT", default=500_000)
# The sandbox acquirer signs its notifications with this (derived from SECRET_KEY when empty).
KABINET_SANDBOX_SECRET = env.str("KABINET_SANDBOX_SECRET", default="")
YOOKASSA_SHOP_ID = env.str("YOOKASSA_SHOP_ID", default="")
YOOKASSA_SECRET_KEY = env.str("YOOKASSA_SECRET_KEY", default="")
# Refuse YooKassa notifications from outside its published networks (before re-fetching them).
YOOKASSA_CHECK_IP = env.bool("YOOKASSA_CHECK_IP", default=True)

KABINET_PASSWORD_MIN_LENGTH = env.int("KABINET_PASSWORD_MIN_LENGTH", default=8)
KABINET_PASSWORD_REQUIRE_CLASSES = env.list(
    "KABINET_PASSWORD_REQUIRE_CLASSES", default=["lower", "upper", "digit"]
)
KABINET_SIGNUP_PHONE_REQUIRED = env.bool(
    "KABINET_SIGNUP_PHONE_REQUIRED", default=KABINET_PROFILE == "energy"
)
KABINET_OTP_SIGNUP_MINUTES = env.int("KABINET_OTP_SIGNUP_MINUTES", default=30)
KABINET_OTP_RESET_MINUTES = env.int("KABINET_OTP_RESET_MINUTES", default=15)
# «Подтвердить номер» in the profile: how long the SMS code lives.
KABINET_OTP_PHONE_MINUTES = env.int("KABINET_OTP_PHONE_MINUTES", default=10)
KABINET_OTP_RATE_WINDOW = env.int("KABINET_OTP_RATE_WINDOW", default=15 * 60)
KABINET_OTP_MAX_PER_LOGIN = env.int("KABINET_OTP_MAX_PER_LOGIN", default=3)
KABINET_OTP_MAX_PER_IP = env.int("KABINET_OTP_MAX_PER_IP", default=10)
# generated passwords and SMS codes sent, through allauth's limiter (kabinet.core.ratelimit):
# per login and per signed-in user, and per client address, in the same window
ACCOUNT_RATE_LIMITS["otp_send"] = f"{KABINET_OTP_MAX_PER_LOGIN}/{KABINET_OTP_RATE_WINDOW}s/key"
ACCOUNT_RATE_LIMITS["otp_send_ip"] = f"{KABINET_OTP_MAX_PER_IP}/{KABINET_OTP_RATE_WINDOW}s/key"
CAPTCHA_IMAGE_SIZE = (150, 50)
CAPTCHA_FONT_SIZE = 32
CAPTCHA_LENGTH = 5
CAPTCHA_TIMEOUT = 15  # minutes
# SMS: an outbox folder in the embedded mode (the «Демо-SMS» staff page), SMS.ru in production.
SMS_BACKEND = env.str("SMS_BACKEND", default="kabinet.core.sms.OutboxSmsBackend")
KABINET_SMS_OUTBOX_DIR = Path(env.str("KABINET_SMS_OUTBOX_DIR", default=str(DATA_DIR / "sms")))
SMS_RU_API_ID = env.str("SMS_RU_API_ID", default="")
SMS_RU_URL = env.str("SMS_RU_URL", default="https://sms.ru/sms/send")
# Notifications (kabinet.notifications): the outbox's retries and reply by email.
KABINET_OUTBOX_MAX_ATTEMPTS = env.int("KABINET_OUTBOX_MAX_ATTEMPTS", default=10)
KABINET_OUTBOX_RETRY_SECONDS = env.int("KABINET_OUTBOX_RETRY_SECONDS", default=60)  # doubles
# Outbound webhooks (notifications/webhook_services.py): tries per delivery, first delay (doubles)
KABINET_WEBHOOK_MAX_ATTEMPTS = env.int("KABINET_WEBHOOK_MAX_ATTEMPTS", default=10)
KABINET_WEBHOOK_RETRY_SECONDS = env.int("KABINET_WEBHOOK_RETRY_SECONDS", default=60)
# Webhooks go to public addresses only, unless the receiver's network is listed here (CIDRs, e.g.
# an ERP inside the company: 10.20.0.0/16): the portal never calls its own loopback or internal hosts
# because a subscription says so.
KABINET_WEBHOOK_ALLOWED_NETWORKS = env.list("KABINET_WEBHOOK_ALLOWED_NETWORKS", default=[])
KABINET_OUTBOX_CLAIM_SECONDS = env.int("KABINET_OUTBOX_CLAIM_SECONDS", default=600)
# A broadcast is written this many recipients per background batch, at a priority below other mail.
KABINET_BROADCAST_BATCH = env.int("KABINET_BROADCAST_BATCH", default=500)
# A batch whose bulk write fails is tried again (after KABINET_OUTBOX_RETRY_SECONDS, doubling) until
# this many attempts; then the broadcast stops as failed, the error on its staff page.
KABINET_BROADCAST_BATCH_ATTEMPTS = env.int("KABINET_BROADCAST_BATCH_ATTEMPTS", default=5)
# Replies go to reply+<signed token>@KABINET_REPLY_DOMAIN; the mail server hands that domain's mail
# to `kabinet mailgate` (LMTP) on KABINET_MAILGATE_HOST:KABINET_MAILGATE_PORT.
KABINET_REPLY_DOMAIN = env.str("KABINET_REPLY_DOMAIN", default="reply.kabinet.localhost")
KABINET_MAILGATE_HOST = env.str("KABINET_MAILGATE_HOST", default="127.0.0.1")
KABINET_MAILGATE_PORT = env.int("KABINET_MAILGATE_PORT", default=0)  # 0: `kabinet serve` runs none
KABINET_MAILGATE_MAX_BYTES = env.int("KABINET_MAILGATE_MAX_BYTES", default=20 * 1024 * 1024)
# The authserv-id of the Authentication-Results header our mail server adds (e.g. mx.lk.example.ru):
# only that header's DMARC/SPF verdict is believed. Empty: the topmost header counts.
KABINET_MAILGATE_AUTHSERV_ID = env.str("KABINET_MAILGATE_AUTHSERV_ID", default="")
# Browser-side preference cookie of the version for the visually impaired.
KABINET_A11Y_COOKIE = "kabinet_a11y"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    # request paths in log lines («Not Found: /accounts/password/reset/key/…») lose their tokens
    "filters": {"mask_tokens": {"()": "kabinet.core.redaction.MaskTokensFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["mask_tokens"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
