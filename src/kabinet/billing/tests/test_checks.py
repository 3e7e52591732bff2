"""The sandbox acquirer takes test cards: outside the demo it is refused unless a staging site
says so."""

from kabinet.billing.checks import payment_provider


def test_the_demo_keeps_its_sandbox_acquirer(settings):
    settings.KABINET_DEMO_TOOLS = True
    settings.KABINET_PAYMENT_PROVIDER = "sandbox"
    assert payment_provider() == []


def test_without_the_demo_tools_the_sandbox_is_an_error_unless_staging_says_so(settings):
    # given a deployment without the demo tools that kept the sandbox acquirer
    settings.KABINET_DEMO_TOOLS = False
    settings.DEBUG = False
    settings.KABINET_PAYMENT_PROVIDER = "sandbox"
    # then the check refuses it
    assert [e.id for e in payment_provider()] == ["billing.E003"]
    # and a staging site that says so may keep it
    settings.KABINET_ALLOW_SANDBOX_IN_PRODUCTION = True
    assert payment_provider() == []


def test_no_provider_is_an_error_only_where_payments_are_on(settings):
    settings.KABINET_DEMO_TOOLS = False
    settings.KABINET_PAYMENT_PROVIDER = ""
    settings.KABINET_MODULES = ("accounts", "billing", "payments")
    assert [e.id for e in payment_provider()] == ["billing.E002"]
    settings.KABINET_MODULES = ("accounts", "servicedesk")
    assert payment_provider() == []


def test_yookassa_needs_its_credentials(settings):
    settings.KABINET_DEMO_TOOLS = False
    settings.KABINET_PAYMENT_PROVIDER = "yookassa"
    settings.YOOKASSA_SHOP_ID = ""
    assert [e.id for e in payment_provider()] == ["billing.E004"]
