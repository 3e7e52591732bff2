"""Rate limits through allauth's limiter, configured by action in ACCOUNT_RATE_LIMITS."""

from kabinet.core.ratelimit import rate_allows, rate_consume


def test_each_key_has_its_own_allowance_and_a_refusal_costs_nothing(settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "test_action": "2/h/key"}
    assert rate_consume("test_action", keys=["a", "b"])
    assert rate_consume("test_action", keys=["a"])
    # "a" is spent: asking for "a" and "b" together is refused and "b" keeps its last one
    assert not rate_allows("test_action", keys=["a"])
    assert not rate_consume("test_action", keys=["a", "b"])
    assert rate_consume("test_action", keys=["b"])
    assert not rate_allows("test_action", keys=["b"])


def test_a_face_limits_per_address_with_its_request(settings, rf):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "test_ip": "1/h/ip"}
    first = rf.post("/", REMOTE_ADDR="192.0.2.1")
    other = rf.post("/", REMOTE_ADDR="192.0.2.2")
    assert rate_consume("test_ip", request=first)
    assert not rate_allows("test_ip", request=first)
    assert rate_allows("test_ip", request=other)


def test_an_action_without_a_rate_is_unlimited():
    assert all(rate_consume("no_such_action", keys=["x"]) for _ in range(20))
