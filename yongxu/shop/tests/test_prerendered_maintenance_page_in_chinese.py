"""The maintenance page written under var/maintenance/ for a web server to serve with the app down is
Chinese in zh-hans.html and English in en.html."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_chinese_copy_on_disk_is_in_chinese(client, settings, full_maintenance):
    client.get("/", HTTP_ACCEPT_LANGUAGE="en")

    folder = settings.VAR_DIR / "maintenance"
    chinese = (folder / "zh-hans.html").read_text(encoding="utf-8")
    english = (folder / "en.html").read_text(encoding="utf-8")
    assert '<html lang="zh-hans">' in chinese
    assert "<title>维护中" in chinese
    assert "系统维护中" in chinese
    assert "部分功能正在维护，暂停使用。" in chinese  # how the manual switch's source describes it
    assert "恢复后邮件通知我" in chinese
    assert "We are doing some maintenance" not in chinese
    assert "We are doing some maintenance" in english
    assert "系统维护中" not in english
