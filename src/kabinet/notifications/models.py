"""Notifications: what a person sees in the portal (the bell), which events they want on which channel
(«Мои подписки»), what the worker sends (the outbox) and replies by email that could not be routed
(the quarantine staff look at)."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from kabinet.core.models import PublicIdModel
from kabinet.notifications.markup import sanitised


class Notification(PublicIdModel):
    """One in-app notification: a line in the bell's list, with a link into the portal."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("получатель"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    event = models.CharField(_("событие"), max_length=64)
    title = models.CharField(_("заголовок"), max_length=255)
    url = models.CharField(_("ссылка"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("создано"), auto_now_add=True)
    read_at = models.DateTimeField(_("прочитано"), null=True, blank=True)

    class Meta:
        verbose_name = _("уведомление")
        verbose_name_plural = _("уведомления")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="notification_user_created"),
            models.Index(fields=["user", "read_at"], name="notification_user_read"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """The user's choice for one notification event on one channel (absent = the event's default).

    The event "*" on the SMS channel is the global «SMS-уведомления» switch.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("пользователь"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    event = models.CharField(_("событие"), max_length=100)
    channel = models.CharField(_("канал"), max_length=20)
    enabled = models.BooleanField(_("включено"))

    class Meta:
        # the table identity created (identity 0002) and notifications took over (notifications
        # 0004), renamed to this app's name by notifications 0005
        verbose_name = _("подписка на уведомления")
        verbose_name_plural = _("подписки на уведомления")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "event", "channel"], name="notification_preference_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.event}/{self.channel}={self.enabled}"


class OutboxMessage(PublicIdModel):
    """A rendered email or SMS waiting for the worker, written in the transaction of its event.

    The worker claims a pending row with a conditional UPDATE (pending → sending), so two workers never
    send it twice; a failure puts it back to pending with a later `next_attempt_at` until the attempts
    run out (failed). Rows stay as the record of what was sent — without its secrets: those listed in
    `redact` and the tokens of token-bearing links are removed when the row is sent or failed.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", _("Электронная почта")
        SMS = "sms", _("SMS")

    class Status(models.TextChoices):
        PENDING = "pending", _("Ждёт отправки")
        SENDING = "sending", _("Отправляется")
        SENT = "sent", _("Отправлено")
        FAILED = "failed", _("Не отправлено")

    channel = models.CharField(_("канал"), max_length=8, choices=Channel.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("получатель"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    event = models.CharField(_("событие"), max_length=64, blank=True)
    recipient = models.CharField(_("адрес или телефон"), max_length=254)
    subject = models.CharField(_("тема"), max_length=255, blank=True)
    text = models.TextField(_("текст"))
    html = models.TextField(_("HTML"), blank=True)
    headers = models.JSONField(_("заголовки"), default=dict, blank=True)
    # reset links, codes, generated passwords: the worker takes them out of text and HTML once the
    # message is sent or given up on (core.redaction), and empties this list
    redact = models.JSONField(_("скрыть после отправки"), default=list, blank=True)
    status = models.CharField(
        _("состояние"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    # the sweeper sends higher first: a broadcast's mail (below 0) waits behind a reset code
    priority = models.SmallIntegerField(_("приоритет"), default=0)
    attempts = models.PositiveSmallIntegerField(_("попыток"), default=0)
    next_attempt_at = models.DateTimeField(_("следующая попытка"), db_index=True)
    claimed_at = models.DateTimeField(_("взято в работу"), null=True, blank=True)
    last_error = models.TextField(_("последняя ошибка"), blank=True)
    sent_at = models.DateTimeField(_("отправлено"), null=True, blank=True)
    created_at = models.DateTimeField(_("создано"), auto_now_add=True)

    class Meta:
        verbose_name = _("исходящее сообщение")
        verbose_name_plural = _("исходящие сообщения")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.recipient}: {self.subject or self.text[:40]}"


class InboundMessage(PublicIdModel):
    """A reply by email that was not appended anywhere: no valid route, no handler, or the handler
    refused it (a stranger, a closed request). Staff read it and forward it by hand or discard it."""

    class Status(models.TextChoices):
        QUARANTINED = "quarantined", _("В карантине")
        RELEASED = "released", _("Разобрано")
        DISCARDED = "discarded", _("Удалено")

    received_at = models.DateTimeField(_("получено"), auto_now_add=True, db_index=True)
    sender = models.CharField(_("отправитель"), max_length=254, blank=True)
    recipient = models.CharField(_("получатель"), max_length=254, blank=True)
    subject = models.CharField(_("тема"), max_length=255, blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=255, blank=True)
    route = models.CharField(_("маршрут"), max_length=120, blank=True)
    reason = models.CharField(_("причина"), max_length=500)
    raw = models.BinaryField(_("исходное письмо"))
    size = models.PositiveIntegerField(_("размер, байт"), default=0)
    status = models.CharField(
        _("состояние"), max_length=12, choices=Status.choices, default=Status.QUARANTINED
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("разобрал"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("разобрано"), null=True, blank=True)

    class Meta:
        verbose_name = _("входящее письмо в карантине")
        verbose_name_plural = _("карантин входящей почты")
        ordering = ["-received_at", "-id"]
        permissions = [
            ("handle_inboundmessage", _("Может разбирать карантин входящей почты")),
        ]

    def __str__(self) -> str:
        return f"{self.sender}: {self.subject}"


class InboundDelivery(models.Model):
    """A reply a handler accepted, by its Message-ID and route: an MTA that delivers the same
    message again (a lost LMTP answer, a retry after a timeout) must not append it twice."""

    message_id = models.CharField(_("Message-ID"), max_length=255)
    route = models.CharField(_("маршрут"), max_length=120)
    accepted_at = models.DateTimeField(_("принято"), auto_now_add=True)

    class Meta:
        verbose_name = _("принятый ответ по почте")
        verbose_name_plural = _("принятые ответы по почте")
        constraints = [
            models.UniqueConstraint(
                fields=["message_id", "route"], name="notifications_inbound_delivered_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.message_id} → {self.route}"


class WebhookSubscription(models.Model):
    """An outside system's URL that hears some of Kabinet's events (`core.events`), each delivery
    signed with this subscription's secret (HMAC-SHA256 over the timestamp and the body)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("название"), max_length=100)
    url = models.URLField(_("адрес"), max_length=500)
    events = models.JSONField(_("события"), default=list)
    # kept to sign with (a signature needs the key itself); shown to staff once, at creation
    secret = models.CharField(max_length=64, editable=False)
    is_active = models.BooleanField(_("включена"), default=True)
    created_at = models.DateTimeField(_("создана"), auto_now_add=True)

    class Meta:
        verbose_name = _("подписка на события (вебхук)")
        verbose_name_plural = _("подписки на события (вебхуки)")
        ordering = ["-created_at"]
        permissions = [("manage_webhooks", _("Может управлять вебхуками"))]

    def __str__(self) -> str:
        return f"{self.name} → {self.url}"


class WebhookDelivery(models.Model):
    """One event sent to one subscription: tried until a 2xx answer, with a growing delay, then
    given up; every attempt's answer is kept for the delivery log."""

    class Status(models.TextChoices):
        PENDING = "pending", _("ожидает отправки")
        SENDING = "sending", _("отправляется")
        DELIVERED = "delivered", _("доставлено")
        FAILED = "failed", _("не доставлено")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(_("событие"), max_length=64)
    payload = models.JSONField()
    status = models.CharField(
        _("состояние"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("попыток"), default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(_("создано"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("доставлено"), null=True, blank=True)

    class Meta:
        verbose_name = _("доставка вебхука")
        verbose_name_plural = _("доставки вебхуков")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="webhook_due"),
            # the delivery log pages newest first by id, filtered by one of these
            # (`selectors.webhook_delivery_log_for`): each filter reads its rows in the page's order
            models.Index(fields=["subscription", "-id"], name="webhook_log_subscription"),
            models.Index(fields=["event", "-id"], name="webhook_log_event"),
            models.Index(fields=["status", "-id"], name="webhook_log_status"),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.subscription_id}"


class Broadcast(PublicIdModel):
    """A notice staff send to a segment (one customer, a request's participants, a customer type,
    everyone with an account in a settlement …), delivered in the background in batches.

    The body is Markdown; `body_html` is its sanitised rendering (`markup.markdown_to_html`), made
    once when the notice is written. Status moves along `services.BROADCAST_TRANSITIONS`; the
    counters and `cursor` (the last user id handled) let a batch resume where the last one stopped.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Черновик")
        SCHEDULED = "scheduled", _("Запланировано")
        SENDING = "sending", _("Отправляется")
        SENT = "sent", _("Отправлено")
        CANCELLED = "cancelled", _("Отменено")
        FAILED = "failed", _("Остановлено из-за ошибки")

    title = models.CharField(_("заголовок"), max_length=200)
    body = models.TextField(_("текст (Markdown)"))
    body_html = models.TextField(_("текст (HTML)"), editable=False)
    segment = models.CharField(_("кому"), max_length=64)
    segment_param = models.CharField(_("параметр получателей"), max_length=200, blank=True)
    segment_label = models.CharField(_("получатели"), max_length=300, blank=True)
    legal = models.BooleanField(
        _("обязательное по закону"),
        default=False,
        help_text=_(
            "Показывается в личном кабинете, даже если клиент отключил уведомления в кабинете; "
            "отказ от почты и SMS соблюдается."
        ),
    )
    status = models.CharField(
        _("состояние"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    scheduled_at = models.DateTimeField(_("отправить в"), null=True, blank=True)
    started_at = models.DateTimeField(_("начато"), null=True, blank=True)
    finished_at = models.DateTimeField(_("завершено"), null=True, blank=True)
    recipients_total = models.PositiveIntegerField(_("получателей"), default=0)
    sent_count = models.PositiveIntegerField(_("отправлено"), default=0)
    failed_count = models.PositiveIntegerField(_("с ошибкой"), default=0)
    skipped_count = models.PositiveIntegerField(_("пропущено по подпискам"), default=0)
    cursor = models.BigIntegerField(default=0, editable=False)
    # a batch whose bulk write failed is tried again after a back-off, a bounded number of times
    batch_attempts = models.PositiveSmallIntegerField(
        _("неудачных попыток пакета"), default=0, editable=False
    )
    retry_at = models.DateTimeField(_("следующая попытка"), null=True, blank=True, editable=False)
    error = models.TextField(_("ошибка"), blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("автор"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("создано"), default=timezone.now)

    class Meta:
        verbose_name = _("рассылка")
        verbose_name_plural = _("рассылки")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "scheduled_at"], name="broadcast_due")]
        permissions = [("send_broadcast", _("Может отправлять уведомления и рассылки"))]

    def __str__(self) -> str:
        return self.title

    @property
    def body_safe(self) -> SafeString:
        """The sanitised rendering, to show (sanitised again: see `markup.sanitised`)."""
        return sanitised(self.body_html)

    @property
    def done_count(self) -> int:
        return self.sent_count + self.failed_count + self.skipped_count

    @property
    def progress_percent(self) -> int:
        if not self.recipients_total:
            return 100 if self.status == self.Status.SENT else 0
        return min(100, round(100 * self.done_count / self.recipients_total))


class BroadcastDelivery(models.Model):
    """One recipient of a broadcast: what was written for them (the delivery log staff read).

    Unique per broadcast and user, so a batch run twice never writes twice."""

    class Status(models.TextChoices):
        SENT = "sent", _("Отправлено")
        FAILED = "failed", _("Ошибка")
        SKIPPED = "skipped", _("Пропущено по подпискам")

    broadcast = models.ForeignKey(Broadcast, on_delete=models.CASCADE, related_name="deliveries")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("получатель"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    status = models.CharField(_("состояние"), max_length=8, choices=Status.choices)
    channels = models.CharField(_("каналы"), max_length=40, blank=True)
    email_message = models.ForeignKey(
        OutboxMessage, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sms_message = models.ForeignKey(
        OutboxMessage, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    error = models.CharField(_("ошибка"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("создано"), default=timezone.now)

    class Meta:
        verbose_name = _("доставка рассылки")
        verbose_name_plural = _("доставки рассылок")
        ordering = ["broadcast", "id"]
        constraints = [
            models.UniqueConstraint(fields=["broadcast", "user"], name="broadcast_delivery_once")
        ]

    def __str__(self) -> str:
        return f"{self.broadcast_id} → {self.user_id}: {self.status}"


def broadcast_attachment_path(instance: BroadcastAttachment, filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"broadcasts/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class BroadcastAttachment(PublicIdModel):
    """A file of a broadcast, served only to its recipients and staff by a checked view."""

    broadcast = models.ForeignKey(Broadcast, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=broadcast_attachment_path, max_length=200)
    name = models.CharField(_("имя файла"), max_length=150)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("вложение рассылки")
        verbose_name_plural = _("вложения рассылок")
        ordering = ["broadcast", "id"]

    def __str__(self) -> str:
        return self.name


class NotificationTemplate(models.Model):
    """One version of an event's mail and SMS text in one language, written by an administrator.

    Versions are never changed: a save adds the next one, and the latest version of an event and
    language is what goes out. A version with `reset` set returns to the shipped text (the template
    files), keeping the history of who wrote what and when. The body is Markdown with placeholders
    (`template_services.PLACEHOLDERS`), rendered through the broadcasts' sanitiser (`markup.py`)."""

    class Language(models.TextChoices):
        RU = "ru", _("Русский")
        EN = "en", _("English")

    event = models.CharField(_("событие"), max_length=64)
    language = models.CharField(_("язык"), max_length=8, choices=Language.choices)
    version = models.PositiveIntegerField(_("версия"))
    subject = models.CharField(_("тема письма"), max_length=255, blank=True)
    body = models.TextField(_("текст письма"), blank=True)
    sms = models.CharField(_("текст SMS"), max_length=335, blank=True)
    reset = models.BooleanField(_("возврат к встроенному тексту"), default=False)
    created_at = models.DateTimeField(_("сохранено"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кем"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("текст уведомления")
        verbose_name_plural = _("тексты уведомлений")
        ordering = ["event", "language", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "language", "version"], name="notification_template_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} [{self.language}] v{self.version}"
