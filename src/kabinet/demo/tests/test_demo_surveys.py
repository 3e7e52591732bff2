"""The grid demo's notices and surveys: a sent broadcast, a scheduled one, an open survey and a
closed one with answers; loading twice adds nothing."""

import pytest

from kabinet.demo.profiles import PROFILES
from kabinet.demo.services import demo_load
from kabinet.identity.models import User
from kabinet.notifications.models import Broadcast, Notification
from kabinet.surveys.models import Response, Survey
from kabinet.surveys.selectors import surveys_open_for


@pytest.mark.django_db
def test_the_grid_demo_has_broadcasts_and_surveys_and_loads_twice_the_same():
    demo_load(profile="grid")
    demo_load(profile="grid")
    assert sorted(Broadcast.objects.values_list("status", flat=True)) == ["scheduled", "sent"]
    sent = Broadcast.objects.get(status="sent")
    customer = User.objects.get(email__iexact=PROFILES["grid"].customer.email)
    assert Notification.objects.filter(user=customer, title=sent.title).count() == 1
    surveys = {s.title: s for s in Survey.objects.all()}
    assert len(surveys) == 2
    open_survey, closed = (
        surveys["Оцените качество обслуживания"],
        surveys["Удобство личного кабинета"],
    )
    assert open_survey.is_open() and not closed.is_open()
    assert Response.objects.filter(survey=closed).count() >= 1
    assert Response.objects.filter(survey=closed, user__isnull=False).count() == 0
    assert [s for s, answered in surveys_open_for(customer)] == [open_survey]
