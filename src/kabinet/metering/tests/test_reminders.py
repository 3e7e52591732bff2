"""The window-open reminder: who gets it, once per person per period, through their subscriptions."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command

from kabinet.customers.models import Membership
from kabinet.customers.tests.factories import household, member
from kabinet.metering.models import ReadingReminder
from kabinet.metering.services import reading_reminders_due, reading_reminders_send
from kabinet.metering.tests.factories import IN_WINDOW, meter
from kabinet.notifications.services import notification_preferences_save

pytestmark = pytest.mark.django_db

FIRST_DAY = datetime.datetime(2026, 5, 15, 6, 0, tzinfo=datetime.UTC)


def test_everyone_managing_a_meter_is_reminded_once_per_period(django_capture_on_commit_callbacks):
    # given a household with two meters on two accounts, a viewer, and someone who already submitted
    customer, owner = household()
    first = meter(customer=customer)
    second = meter(customer=customer)
    member(customer, Membership.Role.VIEWER)
    done, done_owner = household()
    from kabinet.metering.services import reading_submit

    reading_submit(
        actor=done_owner, meter=meter(customer=done), values_by_zone={"T1": "1"}, now=FIRST_DAY
    )
    # before the window nobody is due
    assert reading_reminders_due(today=datetime.date(2026, 5, 14)) == []
    # when the window opens
    [due] = reading_reminders_due(today=FIRST_DAY.date())
    assert due.user == owner and {m.pk for m in due.meters} == {first.pk, second.pk}
    with django_capture_on_commit_callbacks(execute=True):
        assert reading_reminders_send(now=FIRST_DAY) == 1
    # then one letter with both meters and the link to the page
    [letter] = mail.outbox
    assert letter.to == [owner.email]
    assert letter.subject == "Передайте показания счётчиков до 25.05.2026"
    assert first.serial_number in letter.body and second.serial_number in letter.body
    assert "/meters/" in letter.body
    # and running again (the next day, or twice a day) sends nothing more
    with django_capture_on_commit_callbacks(execute=True):
        assert reading_reminders_send(now=IN_WINDOW) == 0
        call_command("readings_remind", date="2026-05-21", stdout=io.StringIO())
    assert len(mail.outbox) == 1
    assert ReadingReminder.objects.filter(user=owner, period=datetime.date(2026, 5, 1)).count() == 1


def test_a_person_who_turned_the_reminder_off_is_not_emailed(django_capture_on_commit_callbacks):
    customer, owner = household()
    meter(customer=customer)
    notification_preferences_save(
        actor=owner, choices={("metering.window_open", "email"): False}, sms_enabled=False
    )
    with django_capture_on_commit_callbacks(execute=True):
        reading_reminders_send(now=FIRST_DAY)
    assert mail.outbox == []
