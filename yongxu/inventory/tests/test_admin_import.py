"""The merchant imports keys in the admin, by paste or file, and is told what happened."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from yongxu.conftest import make_product
from yongxu.inventory.models import CardKey

pytestmark = pytest.mark.django_db

IMPORT = reverse("admin:inventory_cardkey_import")


@pytest.fixture
def stockless():
    return make_product()


def test_the_import_form_renders(client, merchant, stockless):
    client.force_login(merchant)

    response = client.get(IMPORT, {"product": stockless.pk})

    assert response.status_code == 200
    assert "Import card keys" in response.content.decode()


def test_a_paste_is_imported_and_counted(client, merchant, stockless):
    client.force_login(merchant)

    response = client.post(IMPORT, {"product": stockless.pk, "keys": "A1\n\nA2\nA1\nbad\x01\n"}, follow=True)

    assert response.redirect_chain == [(reverse("admin:inventory_cardkey_changelist"), 302)]
    assert "Added 2, duplicates 1, invalid 1 (lines 5)." in response.content.decode()
    assert CardKey.objects.filter(product=stockless).count() == 2


def test_a_csv_file_is_imported(client, merchant, stockless):
    client.force_login(merchant)
    upload = SimpleUploadedFile("keys.csv", b"C1,P1\nC2,P2\n", content_type="text/csv")

    response = client.post(IMPORT, {"product": stockless.pk, "keys": "", "file": upload}, follow=True)

    assert "Added 2, duplicates 0, invalid 0." in response.content.decode()
    assert CardKey.objects.filter(product=stockless).count() == 2


def test_a_paste_and_a_file_are_imported_together(client, merchant, stockless):
    client.force_login(merchant)
    upload = SimpleUploadedFile("keys.txt", b"T1\nP1\n", content_type="text/plain")

    response = client.post(IMPORT, {"product": stockless.pk, "keys": "P1", "file": upload}, follow=True)

    assert "Added 2, duplicates 1, invalid 0." in response.content.decode()


def test_an_oversized_file_is_refused_and_nothing_is_added(client, merchant, stockless, settings):
    settings.YONGXU_KEY_UPLOAD_MAX_BYTES = 1024
    client.force_login(merchant)
    upload = SimpleUploadedFile("keys.txt", b"K" * 2000, content_type="text/plain")

    response = client.post(IMPORT, {"product": stockless.pk, "keys": "PASTED", "file": upload})

    assert response.status_code == 200
    assert "The file is larger than 1 KiB." in response.content.decode()
    assert CardKey.objects.count() == 0


def test_a_binary_file_is_refused(client, merchant, stockless):
    client.force_login(merchant)
    upload = SimpleUploadedFile("keys.txt", b"\x89PNG\r\n\x1a\n\x00\x00", content_type="image/png")

    response = client.post(IMPORT, {"product": stockless.pk, "file": upload})

    assert "The file is not UTF-8 text." in response.content.decode()
    assert CardKey.objects.count() == 0


def test_staff_without_the_add_permission_cannot_import(client, clerk, stockless):
    client.force_login(clerk)

    response = client.post(IMPORT, {"product": stockless.pk, "keys": "A1"})

    assert response.status_code == 403
    assert CardKey.objects.count() == 0
