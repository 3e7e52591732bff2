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
