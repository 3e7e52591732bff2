"""The load benchmark's generator writes what the ORM would, and the benchmark's journeys work on
it (`make bench` runs this with the other benchmarks; it times nothing): a small generated
database passes the models' own validation, the generated customer's pages and the staff queue
answer, and both POST journeys of run.py succeed."""

import pytest
from django.test import Client

from benchmarks.load import generate, run
from kabinet.billing.models import Bill, BillLine
from kabinet.core.validators import validate_inn_person, validate_snils
from kabinet.customers.models import Customer, PersonalAccount
from kabinet.identity.models import User
from kabinet.metering.models import Meter, Reading
from kabinet.servicedesk.models import Request, RequestEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated(settings):
    settings.KABINET_READINGS_WINDOW_START = 1
    settings.KABINET_READINGS_WINDOW_END = 31
    return generate.generate(accounts=60, months=3, requests=120, per_customer=1)


def test_rows_pass_the_models_validation(generated):
    # Given a generated database, then every customer's ИНН and СНИЛС carry right check digits
    for customer in Customer.objects.all():
        validate_inn_person(customer.inn)
        validate_snils(customer.snils)
    # and a row of each table passes its model's full validation (fields, choices, constraints)
    for model in (User, Customer, PersonalAccount, Meter, Reading, Bill, BillLine, Request):
        model.objects.order_by("-pk").first().full_clean()
    assert generated["billing.Bill"] == 60 * 3
    # and the requests are spread over statuses, with messages, every customer with one at least
    assert Request.objects.values("status").distinct().count() >= 3
    assert RequestEvent.objects.filter(kind="message").exists()
    assert Customer.objects.filter(requests__isnull=True).count() == 0


def test_sequences_continue_after_the_generated_rows(generated):
    # When the ORM creates a row after the generator, it gets a new key (no collision)
    bill = Bill.objects.order_by("pk").first()
    clone = Bill.objects.create(
        account=bill.account,
        period=bill.period.replace(year=bill.period.year - 5),
        number="new",
        issued_on=bill.issued_on,
    )
    assert clone.pk > Bill.objects.exclude(pk=clone.pk).order_by("-pk").first().pk


def test_pages_answer_and_post_journeys_succeed(generated):
    # Then the portal pages of the generated customer and the staff queue answer
    generate.check()
    # and run.py's in-process POSTs (a reading filed, a request created) redirect, not 400/403
    user = User.objects.get(email=run.BENCH_EMAIL)
    client = Client()
    client.force_login(user)
    measured = run.post_queries(user, client)
    assert [label for _m, label, _u, _q in measured] == ["readings submit", "create request"]
