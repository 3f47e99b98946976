import pytest

from yongxu.maintenance import channel, services

CHINESE = {"HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9,en;q=0.8"}


@pytest.fixture
def full_maintenance(settings, tmp_path, monkeypatch):
    """Full maintenance, switched on by an operator; this test's own var/ receives the page copies.
    No pub/sub listener thread (it would read the database outside the test's transaction) and no
    address allowed through."""
    settings.VAR_DIR = tmp_path / "var"
    settings.YONGXU_MAINTENANCE_ALLOW_IPS = []
    settings.YONGXU_TRUSTED_PROXIES = []
    monkeypatch.setattr(channel, "listen", lambda on_message: None)
    return services.turn_on("full", actor="t")
