"""The grid demo's documents (seed 003): an offer for signature and a memo, no signature yet."""

import pytest

from kabinet.demo.services import demo_load
from kabinet.documents.models import Document, SignatureKey


@pytest.mark.django_db
def test_the_grid_demo_has_an_offer_for_signature_and_a_memo_and_loads_twice_the_same():
    # given the grid demo loaded twice
    demo_load(profile="grid")
    demo_load(profile="grid")
    # then one offer «для подписи» and one memo «для ознакомления», and nobody has a signature
    purposes = sorted(Document.objects.values_list("purpose", flat=True))
    assert purposes == ["information", "signature"]
    assert not SignatureKey.objects.exists()
