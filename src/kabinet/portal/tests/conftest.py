import pytest
from django.test import Client

from kabinet.billing.tests.factories import customer_with_account


@pytest.fixture
def signed_in(organisation):
    """A household's owner signed in, with its one personal account: (client, owner, account)."""
    owner, acc = customer_with_account(number="7701005555")
    client = Client()
    client.force_login(owner)
    return client, owner, acc
