"""The footer's language switcher (POST /i18n/setlang/) wins over the browser's Accept-Language,
in both directions, and takes the buyer back to the page they were on."""

import pytest

pytestmark = pytest.mark.django_db


def test_choosing_english_overrides_a_chinese_browser(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/lookup/"},
                           HTTP_ACCEPT_LANGUAGE="zh-CN")

    assert response.status_code == 302
    assert response["Location"] == "/lookup/"
    html = client.get("/lookup/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert '<html lang="en">' in html
    assert "E-mail used for the order" in html
    assert "下单时填写的邮箱" not in html


def test_choosing_chinese_overrides_an_english_browser(client):
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"}, HTTP_ACCEPT_LANGUAGE="en-US")

    html = client.get("/lookup/", HTTP_ACCEPT_LANGUAGE="en-US").content.decode()

    assert '<html lang="zh-hans">' in html
    assert "下单时填写的邮箱" in html


def test_an_unknown_language_changes_nothing(client):
    client.post("/i18n/setlang/", {"language": "xx", "next": "/"}, HTTP_ACCEPT_LANGUAGE="zh-CN")

    html = client.get("/lookup/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()

    assert "下单时填写的邮箱" in html
