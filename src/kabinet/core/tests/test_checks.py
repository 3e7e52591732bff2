"""The demo's machinery is refused by the system checks outside the demo, and only there."""

import importlib.util

from kabinet.core.checks import demo_machinery


def _ids(errors) -> set[str]:
    return {error.id for error in errors}


def test_the_demo_and_the_tests_keep_their_outboxes_and_local_cache(settings):
    # given the demo tools on (local.py, test.py), with the file outboxes and a per-process cache
    settings.KABINET_DEMO_TOOLS = True
    settings.SMS_BACKEND = "kabinet.core.sms.OutboxSmsBackend"
    # when the checks run, then they have nothing to say
    assert demo_machinery() == []


def test_without_the_demo_tools_every_demo_default_is_an_error(settings):
    # given a deployment that switched the demo tools off but kept the demo's defaults
    settings.KABINET_DEMO_TOOLS = False
    settings.DEBUG = False
    settings.SMS_BACKEND = "kabinet.core.sms.OutboxSmsBackend"
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = -1
    # when the checks run, then each one is named
    ids = _ids(demo_machinery())
    assert ids == {f"core.E00{n}" for n in range(1, 8)}


def test_redis_without_its_package_is_named_before_the_first_login(settings, monkeypatch):
    settings.KABINET_DEMO_TOOLS = False
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://redis.internal:6379/1",
        }
    }
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "redis" else real_find_spec(name, *a),
    )
    errors = [e for e in demo_machinery() if e.id == "core.E004"]
    assert errors and "redis" in errors[0].msg
