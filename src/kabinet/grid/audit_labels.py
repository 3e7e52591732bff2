"""How the audit log names the grid connection's actions."""

from django.utils.translation import gettext_lazy as _

AUDIT_LABELS = {
    "grid.act_issue": _("Акт о технологическом присоединении оформлен"),
    "grid.act_signed_on_paper": _("Акт о технологическом присоединении подписан на бумаге"),
}
