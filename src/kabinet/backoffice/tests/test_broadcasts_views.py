"""Staff notices and broadcasts through the back office, and the customer's notice page: who may
write and send, the count before sending, the progress and the log, files behind a permission
check, another user's notice is 404, list pages keep a constant number of queries."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kabinet.customers.models import Customer
from kabinet.customers.tests.factories import household
from kabinet.identity import roles
from kabinet.identity.tests.factories import UserFactory, enable_totp
from kabinet.notifications.broadcast_services import broadcast_create, broadcast_send
from kabinet.notifications.models import Broadcast, Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisor(db):
    user = UserFactory(is_staff=True, roles=(roles.SUPERVISOR,))
    enable_totp(user)
    return user


@pytest.fixture
def households():
    return [household()[1] for _ in range(3)]


def _form(**extra):
    return {
        "title": "Плановое отключение",
        "body": "С **10:00** до 14:00 <script>x</script>",
        "segment": "customers.kind",
        "segment_param__customers__kind": Customer.Kind.INDIVIDUAL,
        **extra,
    }


def _notice(**extra):
    """The service's arguments of the same notice."""
    return {
        "title": "Плановое отключение",
        "body": "С **10:00** до 14:00 <script>x</script>",
        "segment": "customers.kind",
        "segment_param": Customer.Kind.INDIVIDUAL,
        **extra,
    }


def test_operators_read_but_only_supervisors_write(client, operator, customer, organisation):
    client.force_login(operator)
    assert client.get(reverse("backoffice:broadcasts:list")).status_code == 200
    assert client.get(reverse("backoffice:broadcasts:new")).status_code == 403
    client.force_login(customer)
    assert client.get(reverse("backoffice:broadcasts:list")).status_code == 403


def test_the_count_comes_before_anything_is_written_and_keeps_what_was_typed(
    client, supervisor, households, organisation
):
    client.force_login(supervisor)
    page = client.post(reverse("backoffice:broadcasts:new"), {**_form(), "action": "count"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Получателей: 3." in html
    assert "Плановое отключение" in html  # what was typed stays
    assert not Broadcast.objects.exists()


def test_a_form_with_errors_says_so_in_russian(client, supervisor, organisation):
    client.force_login(supervisor)
    page = client.post(
        reverse("backoffice:broadcasts:new"), _form(segment_param__customers__kind="", title="")
    )
    assert page.status_code == 400
    html = page.content.decode()
    assert "Проверьте, пожалуйста, поля формы" in html
    assert "Обязательное поле" in html or "Укажите" in html


def test_the_segment_picker_offers_each_segment_and_its_own_parameter_field(
    client, supervisor, organisation
):
    client.force_login(supervisor)
    html = client.get(reverse("backoffice:broadcasts:new")).content.decode()
    # a select of the registered segments, a select of customer types, a text field for a request
    assert '<option value="customers.kind">' in html
    assert 'name="segment_param__customers__kind"' in html
    assert '<option value="individual">' in html
    assert 'name="segment_param__servicedesk__request"' in html
    assert "Номер заявки (для «Участники заявки»)" in html
    assert 'segment_param"' not in html and "|" not in html.split("<main")[-1].split("</main")[0]


def test_only_the_chosen_segments_parameter_is_required_and_checked(
    client, supervisor, households, organisation
):
    client.force_login(supervisor)
    url = reverse("backoffice:broadcasts:new")
    # the chosen segment's parameter left empty: a Russian error on that field, the rest kept
    page = client.post(
        url,
        _form(
            segment="servicedesk.request",
            segment_param__customers__kind="",
            segment_param__customers__settlement="Лесной",
            action="count",
        ),
    )
    assert page.status_code == 400
    html = page.content.decode()
    assert "Укажите «Номер заявки»." in html
    assert 'value="Лесной"' in html  # what was typed elsewhere stays
    # a value that is not one of the choices is refused in Russian
    page = client.post(url, {**_form(segment_param__customers__kind="robots"), "action": "count"})
    assert page.status_code == 400
    assert "Выберите корректный вариант" in page.content.decode()
    # another segment's parameter does not matter when the chosen one takes none
    page = client.post(
        url,
        _form(segment="customers.all", segment_param__customers__kind="robots", action="count"),
    )
    assert page.status_code in (200, 400)


def test_supervisor_writes_sends_and_sees_progress_and_log(
    client, supervisor, households, organisation, django_capture_on_commit_callbacks
):
    client.force_login(supervisor)
    pdf = SimpleUploadedFile("график.pdf", b"%PDF-1.7\n...", content_type="application/pdf")
    response = client.post(
        reverse("backoffice:broadcasts:new"), {**_form(), "action": "save", "attachments": pdf}
    )
    broadcast = Broadcast.objects.get()
    assert response.status_code == 302
    detail = reverse("backoffice:broadcasts:detail", args=[broadcast.public_id])
    html = client.get(detail).content.decode()
    assert "<strong>10:00</strong>" in html and "<script>x" not in html
    # when it is sent now (the immediate test queue runs the batches on commit)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("backoffice:broadcasts:send", args=[broadcast.public_id]), {"when": "now"}
        )
    broadcast.refresh_from_db()
    assert (broadcast.status, broadcast.sent_count) == ("sent", 3)
    assert Notification.objects.filter(user__in=households).count() == 3
    poll = client.get(detail, headers={"HX-Request": "true"}).content.decode()
    assert 'data-testid="broadcast-sent">3<' in poll and "<html" not in poll
    log = client.get(reverse("backoffice:broadcasts:log", args=[broadcast.public_id]))
    assert households[0].email in log.content.decode()
    attachment = broadcast.attachments.get()
    file = client.get(
        reverse("backoffice:broadcasts:file", args=[broadcast.public_id, attachment.public_id])
    )
    assert file.status_code == 200 and file["Content-Security-Policy"] == "default-src 'none'"


def test_scheduling_in_the_past_is_refused_with_words(client, supervisor, households, organisation):
    broadcast = broadcast_create(actor=supervisor, **_notice())
    client.force_login(supervisor)
    page = client.post(
        reverse("backoffice:broadcasts:send", args=[broadcast.public_id]),
        {"when": "later", "at": "01.01.2020 10:00"},
    )
    assert page.status_code == 400
    assert "Укажите время в будущем." in page.content.decode()


def test_the_customer_reads_their_notice_and_another_user_gets_404(
    client, supervisor, households, organisation, django_capture_on_commit_callbacks
):
    pdf = SimpleUploadedFile("график.pdf", b"%PDF-1.7\n...", content_type="application/pdf")
    broadcast = broadcast_create(actor=supervisor, attachments=[pdf], **_notice())
    with django_capture_on_commit_callbacks(execute=True):
        broadcast_send(actor=supervisor, broadcast=broadcast)
    attachment = broadcast.attachments.get()
    notice = reverse("portal:notifications:notice", args=[broadcast.public_id])
    file = reverse(
        "portal:notifications:notice_file", args=[broadcast.public_id, attachment.public_id]
    )
    # the recipient: through the bell's link, the page and the file
    client.force_login(households[0])
    notification = Notification.objects.get(user=households[0])
    assert notification.url == notice
    page = client.get(notice)
    assert page.status_code == 200 and "<strong>10:00</strong>" in page.content.decode()
    assert client.get(file).status_code == 200
    # a company's person, not in the segment: not found
    stranger = UserFactory()
    client.force_login(stranger)
    assert client.get(notice).status_code == 404
    assert client.get(file).status_code == 404


def test_the_list_keeps_a_constant_number_of_queries(
    client, supervisor, households, organisation, django_assert_max_num_queries
):
    client.force_login(supervisor)
    broadcast_create(actor=supervisor, **_notice())
    url = reverse("backoffice:broadcasts:list")
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for n in range(10):
        broadcast_create(actor=supervisor, **_notice(title=f"Новость {n}"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_with_js_each_parameter_field_shows_only_for_its_segment(client, supervisor, organisation):
    client.force_login(supervisor)
    html = client.get(reverse("backoffice:broadcasts:new")).content.decode()
    assert 'data-show-if="segment" data-show-if-value="customers.kind"' in html
    assert "kabinet/js/show_if" in html


def test_a_broadcast_stopped_by_a_failing_batch_shows_its_error_to_staff(
    client, supervisor, households, organisation
):
    # given a broadcast whose batch failed every allowed attempt
    broadcast = broadcast_create(actor=supervisor, **_notice())
    Broadcast.objects.filter(pk=broadcast.pk).update(
        status=Broadcast.Status.FAILED,
        batch_attempts=5,
        error="DatabaseError: could not extend file",
    )
    client.force_login(supervisor)
    html = client.get(reverse("backoffice:broadcasts:detail", args=[broadcast.public_id]))
    html = html.content.decode()
    # then its page says it stopped, after how many attempts, and why
    assert "Остановлено из-за ошибки" in html and 'data-testid="broadcast-error"' in html
    assert "после 5 попыток" in html and "DatabaseError: could not extend file" in html
