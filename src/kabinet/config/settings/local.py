"""The embedded mode on one machine: `kabinet demo`, `kabinet serve`."""

from .base import *
from .base import DATA_DIR, env

DEBUG = env.bool("DJANGO_DEBUG", default=False)
if not SECRET_KEY:
    # A per-installation key kept in the data folder (never in the repository).
    _key_file = DATA_DIR / "secret_key"
    if not _key_file.exists():
        import secrets

        DATA_DIR.mkdir(parents=True, exist_ok=True)
        _key_file.write_text(secrets.token_urlsafe(50))
        _key_file.chmod(0o600)
    SECRET_KEY = _key_file.read_text().strip()
