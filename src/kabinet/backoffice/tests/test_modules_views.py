"""«Модули»: an administrator switches an installed module off and the customers' menu and pages
lose it at once (the gates' cache is cleared); switching it back restores them; operators cannot
switch; a module the settings do not install cannot be switched on."""

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from kabinet.core.models import AuditEvent, ModuleSetting
from kabinet.core.selectors import MODULE_SETTINGS_CACHE_KEY, modules_enabled

pytestmark = pytest.mark.django_db
LIST = reverse("backoffice:modules")
ENTER = reverse("portal:metering:enter")


def _switch(client, module: str, enabled: bool):
    return client.post(
        reverse("backoffice:module_switch", args=[module]), {"enabled": "1" if enabled else "0"}
    )


def test_switching_metering_off_hides_the_menu_and_404s_its_pages(client, administrator, customer):
    # given a customer who sees «Ввод показаний» in the menu (the gates' cache is warm)
    client.force_login(customer)
    assert ENTER in client.get(reverse("portal:dashboard")).content.decode()
    assert cache.get(MODULE_SETTINGS_CACHE_KEY) is not None
    # when an administrator switches «Приборы учёта и показания» off
    client.force_login(administrator)
    page = client.get(LIST).content.decode()
    assert "Приборы учёта и показания" in page and "Включён" in page
    response = _switch(client, "metering", False)
    assert response.status_code == 302
    # then the cache was cleared and the customer's menu and pages lose the module at once
    assert "metering" not in modules_enabled()
    client.force_login(customer)
    assert ENTER not in client.get(reverse("portal:dashboard")).content.decode()
    assert client.get(ENTER).status_code == 404
    # and the change is audited with who and the states before and after
    event = AuditEvent.objects.get(action="module.switch")
    assert event.actor == administrator
    assert event.data == {"module": "metering", "before": True, "after": False}
    # when it is switched back on, the menu returns
    client.force_login(administrator)
    page = client.get(LIST).content.decode()
    assert "Выключен" in page and str(administrator) in page
    _switch(client, "metering", True)
    client.force_login(customer)
    assert ENTER in client.get(reverse("portal:dashboard")).content.decode()
    assert AuditEvent.objects.filter(action="module.switch").count() == 2


def test_an_operator_can_neither_see_nor_switch_modules(client, operator):
    client.force_login(operator)
    assert client.get(LIST).status_code == 403
    assert _switch(client, "metering", False).status_code == 403
    assert not ModuleSetting.objects.exists()
    assert "metering" in modules_enabled()


def test_a_customer_cannot_reach_the_page(client, customer):
    client.force_login(customer)
    assert client.get(LIST).status_code == 403
    assert _switch(client, "metering", False).status_code == 403


@override_settings(KABINET_MODULES=("servicedesk", "notifications"))
def test_only_installed_modules_are_listed_and_switchable(client, administrator):
    client.force_login(administrator)
    page = client.get(LIST).content.decode()
    assert "Заявки и обращения" in page and "Приборы учёта и показания" not in page
    assert _switch(client, "metering", True).status_code == 404
    assert not ModuleSetting.objects.exists()
    assert modules_enabled() == ("servicedesk", "notifications")


def test_a_switch_survives_a_saved_row_read_from_the_database(administrator):
    # given a switch stored by another process (the cache here is empty)
    ModuleSetting.objects.create(module="surveys", enabled=False)
    # then the gates read it from the database, and from the cache afterwards
    assert "surveys" not in modules_enabled()
    assert cache.get(MODULE_SETTINGS_CACHE_KEY) == {"surveys": False}
