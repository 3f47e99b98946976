"""Every back-office page staff open in a day renders (lists of history records included)."""

import pytest

PAGES = ["/admin/", "/admin/dashboard/", "/admin/maintenance/", "/admin/advisor/", "/admin/emails/",
         "/admin/orders/order/", "/admin/payments/payment/", "/admin/inventory/cardkey/", "/admin/coupons/coupon/",
         "/admin/audit/auditentry/", "/admin/maintenance/closure/", "/admin/maintenance/maintenancewindow/",
         "/admin/outbox/effect/", "/admin/notices/noticerun/", "/admin/accounts/usersession/",
         "/admin/support/ticket/"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_the_page_renders_for_the_operator(client, operator, path):
    client.force_login(operator)

    assert client.get(path).status_code == 200
