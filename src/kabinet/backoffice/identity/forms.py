from django import forms
from django.utils.translation import gettext_lazy as _


class ImpersonationForm(forms.Form):
    reason = forms.CharField(
        label=_("Причина"),
        min_length=5,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Например: «обращение № 1234 — клиент не видит счёт за октябрь». "
            "Причину увидят руководитель и сам клиент в журнале безопасности."
        ),
    )
