import pytest


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Attachments land in a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "https://shop.example"
    settings.MERCHANT_EMAILS = ["merchant@shop.example"]
    return settings.MEDIA_ROOT


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what a commit sets off (the e-mails), as the real transaction would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
