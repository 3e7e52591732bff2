from django import forms
from django.utils.translation import gettext_lazy as _

SCOPE_CHOICES = [
    ("customers", _("Клиенты")),
    ("accounts", _("Лицевые счета и договоры")),
    ("bills", _("Счета")),
    ("payments", _("Платежи")),
    ("meters", _("Приборы учёта")),
    ("readings", _("Показания")),
    ("orders", _("Заказы и позиции")),
    ("shipments", _("Отгрузки")),
    ("documents", _("Документы")),
    ("requests", _("Заявки и обращения")),
]


class IntegrationTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Название"),
        max_length=100,
        help_text=_("Какая система пользуется токеном, например «1С: Биллинг»."),
        error_messages={"required": _("Укажите название.")},
    )
    scopes = forms.MultipleChoiceField(
        label=_("Права"),
        choices=SCOPE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Отметьте хотя бы одно право.")},
    )
    allowed_ips = forms.CharField(
        label=_("Разрешённые адреса"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "IP-адреса или подсети, по одной в строке, например 10.0.0.0/8. Пусто — любые."
        ),
    )

    def cleaned_ips(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["allowed_ips"].splitlines()]
