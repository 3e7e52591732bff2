import pytest
from django.urls import reverse


def test_healthz_answers_without_touching_the_database(client):
    # no database fixture: any query here would raise
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_reports_database_storage_and_queue(client):
    response = client.get(reverse("readyz"))
    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "storage", "task_queue"}
    assert all(check["ok"] for check in body["checks"].values())


@pytest.mark.django_db
def test_readyz_fails_with_503_when_storage_is_unwritable(client, settings, tmp_path):
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where a folder should be")
    settings.MEDIA_ROOT = blocked
    response = client.get(reverse("readyz"))
    assert response.status_code == 503
    assert response.json()["checks"]["storage"]["ok"] is False
