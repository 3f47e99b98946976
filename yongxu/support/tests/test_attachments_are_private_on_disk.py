"""A support attachment (a buyer's screenshot, a receipt) is stored under media/ readable by the owner
only: the file 0600, its folders 0700. It is only ever served through the ticket's link."""

import os
import stat

import pytest
from django.urls import reverse

from yongxu.support.models import Attachment
from yongxu.support.tests.factories import BUYER, PNG, upload

pytestmark = pytest.mark.django_db


def test_an_uploaded_attachment_is_the_owners_only(client, media_root):
    previous = os.umask(0o022)
    try:
        client.post(reverse("support"), {"subject": "Screenshot", "message": "See the error.", "email": BUYER,
                                         "attachment": upload("error.png", PNG, "image/png")})
    finally:
        os.umask(previous)

    stored = media_root / Attachment.objects.get().file.name
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    folder = stored.parent
    while folder != media_root.parent:
        assert (folder.name, stat.S_IMODE(folder.stat().st_mode)) == (folder.name, 0o700)
        folder = folder.parent
