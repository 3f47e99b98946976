"""An edit of the maintenance page's content or of the shop's settings in the admin shows at once, on
the served page and on its copy on disk: the pages are rendered again (every node, every language)
as on a change of state, audit-logged."""

import pytest

from yongxu.audit.models import AuditEntry
from yongxu.maintenance.models import PageContent
from yongxu.maintenance.tests.conftest import switch_on

pytestmark = pytest.mark.django_db


def shown(client, settings) -> tuple[str, str, str]:
    folder = settings.VAR_DIR / "maintenance"
    return (client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode(),
            (folder / "en.html").read_text(encoding="utf-8"), (folder / "zh-hans.html").read_text(encoding="utf-8"))


def test_a_page_content_edit_shows_at_once(client, operator, settings):
    switch_on("full")
    staff = client.__class__()
    staff.force_login(operator)
    assert "QQ群: 123456" not in shown(client, settings)[0]

    response = staff.post("/admin/maintenance/pagecontent/add/", {"contacts": "QQ群: 123456", "promotion": "Back soon",
                                                                   "coupon_teaser": "BACK10"})

    assert response.status_code == 302 and PageContent.objects.count() == 1
    for html in shown(client, settings):
        assert "QQ群: 123456" in html and "<strong>BACK10</strong>" in html
    assert AuditEntry.objects.filter(action="maintenance.page_changed", actor="user:operator").count() == 1


def test_a_shop_settings_edit_shows_at_once(client, operator, settings):
    switch_on("full")
    staff = client.__class__()
    staff.force_login(operator)
    assert "Moon Keys" not in shown(client, settings)[0]

    response = staff.post("/admin/shop/shopsettings/add/", {
        "name": "Moon Keys", "logo_url": "", "primary_colour": "#7c3aed", "accent_colour": "#f59e0b",
        "support_email": "help@moon.example", "contacts": "", "footer_text": "", "default_currency": "CNY",
        "order_timeout_minutes": "15"})

    assert response.status_code == 302
    for html in shown(client, settings):
        assert "Moon Keys" in html and "help@moon.example" in html and "background:#7c3aed" in html
