"""«Отправить на подпись»: a contract's act goes to the document exchange as a document «для
подписи» on an «Акт сверки» request, and the buyer signs it with their simple electronic signature
(given / when / then)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from kabinet.customers.models import Membership
from kabinet.customers.tests.factories import member
from kabinet.documents.models import Status
from kabinet.documents.services import document_sign
from kabinet.documents.tests.factories import SIGN_PASSWORD, key_for
from kabinet.servicedesk.selectors import request_types_for
from kabinet.supply.models import ContractAct
from kabinet.supply.services import contract_act_create, contract_act_send_for_signing
from kabinet.supply.tests.factories import buyer, order, pay, ship

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def made(organisation, django_capture_on_commit_callbacks):
    customer, accountant, contract = buyer(Membership.Role.ACCOUNTANT)
    accountant.phone, accountant.phone_verified = "+79161230013", True
    accountant.save(update_fields=["phone", "phone_verified"])
    position = order(customer, contract).positions.get()
    ship(customer, position, "10", day=D(2026, 3, 2))
    pay(customer, contract, "100000.00", day=D(2026, 3, 10))
    with django_capture_on_commit_callbacks(execute=True):
        act = contract_act_create(
            actor=accountant,
            customer=customer,
            contract=contract,
            date_from=D(2026, 3, 1),
            date_to=D(2026, 3, 31),
        )
    act.refresh_from_db()
    assert act.status == ContractAct.Status.DONE
    return customer, accountant, act


def test_the_accountant_sends_the_act_and_signs_it_with_their_signature(made):
    customer, accountant, act = made
    # when the accountant sends the finished act for signing
    document = contract_act_send_for_signing(actor=accountant, act=act)
    # then it is a document «для подписи» on a new «Акт сверки» request of the buyer
    assert document.needs_signature and document.status == Status.SENT
    assert document.request.customer == customer and document.request.type.key == "supply_act"
    assert act.contract.number in document.title
    # and sending again answers the same document
    act.refresh_from_db()
    assert contract_act_send_for_signing(actor=accountant, act=act) == document
    # when the accountant signs it with their simple electronic signature
    key_for(accountant)
    version = document.versions.get()
    document_sign(
        actor=accountant, document=document, version_id=version.public_id, secret=SIGN_PASSWORD
    )
    document.refresh_from_db()
    assert document.status == Status.SIGNED


def test_an_unfinished_act_or_a_role_without_acts_cannot_be_sent(made):
    customer, accountant, act = made
    logistics = member(customer, Membership.Role.LOGISTICS)
    with pytest.raises(Http404):
        contract_act_send_for_signing(actor=logistics, act=act)
    ContractAct.objects.filter(pk=act.pk).update(status=ContractAct.Status.RUNNING)
    act.refresh_from_db()
    with pytest.raises(ValidationError):
        contract_act_send_for_signing(actor=accountant, act=act)


def test_the_act_type_is_not_offered_in_the_new_request_form(made):
    customer, accountant, _act = made
    offered = request_types_for(accountant, customer, module="servicedesk")
    assert "supply_act" not in {t.key for t in offered}
