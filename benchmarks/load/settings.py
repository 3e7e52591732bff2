"""The production settings as the load benchmark serves them: plain HTTP on loopback, static files
without the collected manifest, and the floor page beside the portal (benchmarks/load/urls.py)."""

from kabinet.config.settings.production import *  # noqa: F403

ROOT_URLCONF = "benchmarks.load.urls"
SECURE_SSL_REDIRECT = False
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
