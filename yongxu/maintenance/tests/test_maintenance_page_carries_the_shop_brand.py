"""The maintenance page (served, and its copy on disk) carries the shop's name, logo, colour, footer
and contacts from the shop settings; the page's own emergency contacts, when set, come first."""

import pytest

from yongxu.maintenance.models import PageContent
from yongxu.maintenance.tests.conftest import OPERATOR, switch_on
from yongxu.shop.models import ShopSettings
from yongxu.shop.services import save_shop_settings

pytestmark = pytest.mark.django_db


@pytest.fixture
def brand():
    return save_shop_settings(ShopSettings(name="Moon Keys 月亮卡", logo_url="/static/moon.png", primary_colour="#7c3aed",
                                           support_email="help@moon.example", contacts="Telegram: @moonkeys\nQQ群: 123",
                                           footer_text="Moon Keys Ltd, since 2019"), actor=OPERATOR)


def test_the_page_and_its_copy_carry_the_brand(client, settings, brand):
    switch_on("full")

    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")

    on_disk = (settings.VAR_DIR / "maintenance" / "en.html").read_text(encoding="utf-8")
    for html in (response.content.decode(), on_disk):
        assert "<title>Under maintenance · Moon Keys 月亮卡</title>" in html
        assert '<header><img src="/static/moon.png" alt=""><span>Moon Keys 月亮卡</span></header>' in html
        assert "header{background:#7c3aed;" in html and "#0f766e" not in html
        assert "help@moon.example · Telegram: @moonkeys · QQ群: 123" in html
        assert "<footer>Moon Keys Ltd, since 2019</footer>" in html
    assert response.status_code == 503


def test_the_pages_own_emergency_contacts_come_first(client, brand):
    PageContent.objects.create(contacts="Emergency: +86 400 000 0000")
    switch_on("full")

    html = client.get("/").content.decode()

    assert "Emergency: +86 400 000 0000</p>" in html and "help@moon.example" not in html
