"""The grid's «open connection application» segment answers the applicants of open applications
and nobody whose application is closed."""

from __future__ import annotations

import pytest
from django.utils import timezone

from kabinet.customers.tests.factories import household
from kabinet.grid.tests.factories import application
from kabinet.notifications.broadcast_services import segment_recipients

pytestmark = pytest.mark.django_db


def test_open_connection_applicants():
    home, applicant = household()
    other_home, finished = household()
    _, bystander = household()
    application(applicant, home)
    done = application(finished, other_home)
    done.closed_at = timezone.now()
    done.save(update_fields=["closed_at"])
    ids = set(segment_recipients("grid.open_connection").values_list("pk", flat=True))
    assert ids == {applicant.pk}
    assert bystander.pk not in ids
