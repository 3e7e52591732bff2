from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kabinet.core.models import LegalDocument, Organisation


class OrganisationForm(forms.ModelForm):
    logo_upload = forms.FileField(
        label=_("Новый логотип"),
        required=False,
        help_text=_("PNG, JPEG или WebP, не более 512 КБ."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )
    remove_logo = forms.BooleanField(label=_("Удалить текущий логотип"), required=False)

    class Meta:
        model = Organisation
        fields = [
            "name",
            "short_name",
            "portal_title",
            "primary_colour",
            "accent_colour",
            "support_email",
            "support_phone",
            "support_hours",
            "address",
            "website",
        ]
        widgets = {
            "primary_colour": forms.TextInput(attrs={"type": "color"}),
            "accent_colour": forms.TextInput(attrs={"type": "color"}),
        }


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


class LegalDocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Вид документа"), choices=LegalDocument.Kind.choices)
    title = forms.CharField(label=_("Заголовок"), max_length=255)
    body = forms.CharField(label=_("Текст"), widget=forms.Textarea(attrs={"rows": 14}))
    effective_from = forms.DateField(
        label=_("Действует с"),
        initial=timezone.localdate,
        help_text=_("Дата в формате ДД.ММ.ГГГГ."),
    )
