"""The grid demo's documents (seed 003): the offers signed with the applicant's signature, the act,
and a memo «для ознакомления»."""

import pytest

from kabinet.demo.services import demo_load
from kabinet.documents.models import Document, SignatureKey


@pytest.mark.django_db
def test_the_grid_demo_has_an_offer_for_signature_and_a_memo_and_loads_twice_the_same():
    # given the grid demo loaded twice
    demo_load(profile="grid")
    demo_load(profile="grid")
    # then the memo once, and the applicant's one signature key signed every document to sign
    assert Document.objects.filter(purpose="information").count() == 1
    to_sign = Document.objects.filter(purpose="signature")
    assert to_sign.count() == 5  # two offers and their conditions, one act
    assert set(to_sign.values_list("status", flat=True)) == {"signed"}
    assert SignatureKey.objects.count() == 1
