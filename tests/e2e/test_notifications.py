"""Browser journey of notifications: the bell's count, the list, marking everything read (htmx)."""

from playwright.sync_api import expect

from kabinet.demo.profiles import PROFILES
from tests.e2e.test_customers import accessible_too


def test_a_customer_reads_the_notifications_behind_the_bell(portal):
    # given the energy demo customer with unread notifications (the demo's and her requests' answers)
    from kabinet.notifications.models import Notification

    email = PROFILES["energy"].customer.email
    unread = Notification.objects.filter(user__email=email, read_at__isnull=True).count()
    assert unread >= 2
    portal.log_in(email)
    page = portal.page
    bell = page.get_by_role("link", name=f"Уведомления, непрочитанных: {unread}")
    expect(bell).to_be_visible()
    # when she opens the list from the bell
    bell.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Уведомления")
    main = page.locator("main")
    latest_bill = (
        Notification.objects.filter(user__email=email, event="billing.invoice_issued")
        .order_by("-created_at", "-id")
        .first()
    )
    expect(main).to_contain_text(latest_bill.title)
    # and the notice about the bill is a link (it opens the bill and marks the notice read)
    expect(main.get_by_role("link", name=latest_bill.title)).to_be_visible()
    expect(main.locator(".notification-unread")).to_have_count(unread)
    accessible_too(portal, "notifications list")
    # and marks all of them read (htmx swaps the list and the bell, without a reload)
    page.get_by_role("button", name="Отметить все как прочитанные").click()
    expect(page.get_by_role("status").filter(has_text="Все уведомления отмечены")).to_be_attached()
    expect(main.locator(".notification-unread")).to_have_count(0)
    expect(page.get_by_role("link", name="Уведомления, непрочитанных нет")).to_be_visible()
    # then after a reload the count stays at none
    page.reload()
    expect(page.get_by_role("link", name="Уведомления, непрочитанных нет")).to_be_visible()
    accessible_too(portal, "notifications list, all read")
