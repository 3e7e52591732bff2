"""Two submissions racing for the same meter and period record one; the other is told why.

Real threads, each with its own database connection, against the test database (a file on SQLite,
so both threads share it; a server on PostgreSQL). On PostgreSQL the meter row lock makes the
second wait and then find the first; on SQLite the IMMEDIATE transactions serialise the writers.
Either way the unique constraint (meter, zone, period) is the last guard.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from kabinet.customers.tests.factories import household
from kabinet.metering.models import Reading, ReadingSubmission
from kabinet.metering.services import reading_submit
from kabinet.metering.tests.factories import IN_WINDOW, meter


@pytest.mark.django_db(transaction=True)
def test_two_racing_submissions_record_one_and_the_other_is_told_clearly():
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(
        ("file:memorydb", ":memory:")
    ):
        pytest.skip("an in-memory SQLite database is not shared between threads")
    # given one meter and two people of the household at their phones at the same moment
    customer, owner = household()
    m = meter(customer=customer)
    barrier = threading.Barrier(2)
    outcomes: list[object] = []

    def submit(value: str) -> None:
        try:
            barrier.wait(timeout=10)
            outcomes.append(
                reading_submit(actor=owner, meter=m, values_by_zone={"T1": value}, now=IN_WINDOW)
            )
        except ValidationError as error:
            outcomes.append(error)
        finally:
            connection.close()  # this thread's own connection

    # when both submit at once
    threads = [threading.Thread(target=submit, args=(v,)) for v in ("100", "101")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    # then one reading is recorded and the other submission is refused with the reason
    assert Reading.objects.filter(meter=m).count() == 1
    assert ReadingSubmission.objects.filter(meter=m).count() == 1
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(outcomes) == 2 and len(refused) == 1
    assert refused[0].messages == ["Показания за май 2026 уже переданы 20.05.2026."]
