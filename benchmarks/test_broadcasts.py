"""A broadcast to 100 000 generated recipients (KABINET_BENCH_BROADCAST overrides the number):
sending it only counts and queues (the web request's share), and the worker's batches run in
bounded memory. Recorded, not asserted on time: the send's wall time, the whole run's, and the
peak Python memory of one batch against the whole run's (tracemalloc) in `extra_info`."""

from __future__ import annotations

import os
import time
import tracemalloc

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.test import override_settings

from kabinet.notifications.broadcast_services import (
    broadcast_create,
    broadcast_run_batch,
    broadcast_send,
)
from kabinet.notifications.models import Broadcast, BroadcastDelivery
from kabinet.notifications.segments import register_segment

pytestmark = pytest.mark.django_db

RECIPIENTS = int(os.environ.get("KABINET_BENCH_BROADCAST", "100000"))
BATCH = 500

register_segment(
    "bench.generated",
    "Сгенерированные получатели (замер)",
    lambda _param: get_user_model().objects.filter(email__endswith="@bench.example"),
)


@pytest.fixture
def generated_people():
    user_model = get_user_model()
    unusable = make_password(None)
    user_model.objects.bulk_create(
        (
            user_model(email=f"p{i}@bench.example", password=unusable, is_active=True)
            for i in range(RECIPIENTS)
        ),
        batch_size=5000,
    )


@override_settings(TASKS={"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}})
def test_broadcast_100k_recipients_in_bounded_memory(
    benchmark, operator, organisation, generated_people
):
    broadcast = broadcast_create(
        actor=operator, title="Замер рассылки", body="Текст", segment="bench.generated"
    )
    started = time.perf_counter()
    broadcast = broadcast_send(actor=operator, broadcast=broadcast)
    send_seconds = time.perf_counter() - started
    assert broadcast.recipients_total == RECIPIENTS

    peaks: list[int] = []

    def run_all() -> int:
        batches = 0
        while True:
            tracemalloc.start()
            handled = broadcast_run_batch(broadcast_id=broadcast.pk, batch_size=BATCH)
            peaks.append(tracemalloc.get_traced_memory()[1])
            tracemalloc.stop()
            if not handled:
                return batches
            batches += 1

    batches = benchmark.pedantic(run_all, rounds=1, iterations=1)
    broadcast.refresh_from_db()
    assert broadcast.status == Broadcast.Status.SENT
    assert BroadcastDelivery.objects.filter(broadcast=broadcast).count() == RECIPIENTS
    assert batches == -(-RECIPIENTS // BATCH)
    # bounded: the largest batch's peak is of the order of one batch, not of the whole segment
    benchmark.extra_info.update(
        {
            "recipients": RECIPIENTS,
            "batches": batches,
            "send_seconds": round(send_seconds, 3),
            "peak_batch_mib": round(max(peaks) / 2**20, 1),
            "first_batch_mib": round(peaks[0] / 2**20, 1),
        }
    )
    assert max(peaks) < 4 * max(peaks[0], 1)
