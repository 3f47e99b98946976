"""In embedded mode e-mail is written under var/mail/, and a delivery e-mail holds the keys in clear:
the folder is the owner's only (0700) and so is each file (0600), whatever the umask."""

import os
import stat

import pytest

from yongxu.orders.tests.factories import place

pytestmark = pytest.mark.django_db


@pytest.fixture
def permissive_umask():
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_the_keys_email_on_disk_is_readable_by_its_owner_only(product, buyer_email, settle, settings, tmp_path,
                                                              permissive_umask):
    settings.EMAIL_BACKEND = "yongxu.shop.mailfiles.PrivateFileEmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path / "mail"

    settle(place(product, email=buyer_email))

    # "order placed", then the keys: one file each, or both in one (Django names a file by the second and
    # the connection object, and appends)
    written = list((tmp_path / "mail").iterdir())
    assert written
    assert any(f"KEY-{product.pk}-00000" in path.read_text() for path in written)
    assert {stat.S_IMODE(path.stat().st_mode) for path in written} == {0o600}
    assert stat.S_IMODE((tmp_path / "mail").stat().st_mode) == 0o700
