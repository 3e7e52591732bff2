from django.utils.translation import gettext_lazy as _

from kabinet.core.modules import NavEntry

NAV = [NavEntry("backoffice", _("Обзор"), "backoffice:home", order=0)]
