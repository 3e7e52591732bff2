"""The demo companies that bill households print their own, check-digit-valid payee."""

import pytest

from kabinet.core.models import Organisation
from kabinet.core.selectors import organisation_get
from kabinet.demo.profiles import ALL_ORGANISATION, PROFILES
from kabinet.demo.services import demo_load


@pytest.mark.parametrize("key", ["energy", "utility", "grid"])
def test_the_billing_profiles_have_a_complete_valid_payee(key):
    organisation = Organisation(pk=1, **PROFILES[key].organisation)
    assert organisation.payee_complete
    assert organisation._payee_errors() == {}


def test_each_billing_profile_pays_into_its_own_account():
    accounts = {
        PROFILES[key].organisation["payee_account"] for key in ("energy", "utility", "grid")
    }
    assert len(accounts) == 3


@pytest.mark.django_db
def test_a_profile_without_a_payee_clears_the_previous_one_so_the_settings_apply():
    # given the grid demo, then the steel maker's (no household receipts, no payee of its own)
    demo_load(profile="grid")
    assert organisation_get().payee_inn == "5503034566"
    demo_load(profile="steel")
    # then the steel demo's profile has no payee: receipts would use the settings
    assert organisation_get().payee_empty
    assert "payee_inn" not in ALL_ORGANISATION
