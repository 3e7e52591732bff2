"""What the surveys app's audit codes mean, in words (registered in SurveysConfig.ready)."""

from django.utils.translation import gettext_lazy as _

AUDIT_LABELS = {
    "survey.saved": _("Опрос сохранён"),
    "survey.questions": _("Вопросы опроса изменены"),
    "survey.published": _("Опрос опубликован"),
    "survey.export": _("Выгрузка ответов опроса заказана"),
}
