"""Test settings: the same code paths, faster hashing, tasks run at once unless a test says not."""

import atexit
import shutil
import tempfile
from pathlib import Path

from .base import *
from .base import CACHES, DATA_DIR, DATABASES

SECRET_KEY = "test-only-key-not-for-production-" + "x" * 20
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
_TMP = Path(tempfile.mkdtemp(prefix="kabinet-test-"))
atexit.register(shutil.rmtree, _TMP, ignore_errors=True)
MEDIA_ROOT = _TMP / "media"
STATIC_ROOT = _TMP / "static"
STATIC_ROOT.mkdir()
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
KABINET_MAIL_OUTBOX_DIR = _TMP / "outbox"
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
SMS_BACKEND = "kabinet.core.sms.LocmemSmsBackend"
KABINET_SMS_OUTBOX_DIR = _TMP / "sms"
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
# tasks run in the request here: rendering every imported bill's receipt would slow every test that
# makes bills; the receipt tests switch it on
KABINET_RECEIPTS_PRERENDER = False
# one process per test worker: the page cache in its memory, not in files another worker shares
CACHES = {
    **CACHES,
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ACCOUNT_RATE_LIMITS = {"login_failed": "1000/m/ip"}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory: the live server's threads then use their own connections (WAL mode).
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test-kabinet.sqlite3")}
else:
    DATABASES["default"]["CONN_MAX_AGE"] = 0
