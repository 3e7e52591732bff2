import datetime

import pytest
from django.core.exceptions import ValidationError

from kabinet.core.models import AuditEvent, LegalDocument
from kabinet.core.selectors import legal_document_current, organisation_get
from kabinet.core.services import legal_document_publish, organisation_update


def test_publishing_a_legal_text_makes_a_new_version_and_keeps_the_old(administrator, organisation):
    # given a published first version
    first = legal_document_publish(
        actor=administrator,
        kind="terms",
        title="Соглашение",
        body="Редакция 1",
        effective_from=datetime.date(2026, 1, 1),
    )
    # when an administrator publishes a change
    second = legal_document_publish(
        actor=administrator,
        kind="terms",
        title="Соглашение",
        body="Редакция 2",
        effective_from=datetime.date(2026, 2, 1),
    )
    # then both versions exist, the new one is in force, and the event is audited
    first.refresh_from_db()
    assert (first.version, first.body) == (1, "Редакция 1")
    assert second.version == 2
    assert legal_document_current("terms") == second
    assert (
        AuditEvent.objects.filter(action="legal_document.publish", actor=administrator).count() == 2
    )


def test_a_version_effective_in_the_future_is_not_yet_in_force(administrator, organisation):
    legal_document_publish(
        actor=administrator,
        kind="privacy",
        title="Политика",
        body="Сейчас",
        effective_from=datetime.date(2020, 1, 1),
    )
    legal_document_publish(
        actor=administrator,
        kind="privacy",
        title="Политика",
        body="Потом",
        effective_from=datetime.date(2099, 1, 1),
    )
    assert legal_document_current("privacy").body == "Сейчас"
    assert LegalDocument.objects.filter(kind="privacy").count() == 2


def test_organisation_update_validates_colours_and_is_audited(administrator, organisation):
    with pytest.raises(ValidationError):
        organisation_update(actor=administrator, primary_colour="red")
    organisation_update(actor=administrator, short_name="ООО «Новое имя»", primary_colour="#112233")
    assert organisation_get().short_name == "ООО «Новое имя»"
    event = AuditEvent.objects.get(action="organisation.update")
    assert event.data == {"fields": ["primary_colour", "short_name"]}


def test_organisation_update_refuses_unknown_fields(administrator, organisation):
    with pytest.raises(TypeError):
        organisation_update(actor=administrator, pk=5)


def test_client_ip_behind_a_trusted_proxy_is_the_address_the_proxy_saw(settings, rf):
    from kabinet.core.audit import client_ip

    request = rf.get("/", HTTP_X_FORWARDED_FOR="203.0.113.7, 10.0.0.2", REMOTE_ADDR="10.0.0.1")
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.1"  # no proxy trusted: a client cannot forge its address
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "10.0.0.2"
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    assert client_ip(request) == "203.0.113.7"


def test_the_placeholder_logo_letter_skips_the_legal_form(organisation):
    organisation.short_name = "ООО «Свет»"
    assert organisation.initial == "С"
    organisation.short_name = "ПАО «СевМеталл»"
    assert organisation.initial == "С"
    organisation.short_name = "Kabinet Демо"
    assert organisation.initial == "K"
