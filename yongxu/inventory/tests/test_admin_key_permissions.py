"""Revealing and exporting keys need their own permissions; each use is audit-logged."""

import pytest
from django.urls import reverse

from yongxu.audit.models import AuditEntry
from yongxu.inventory.models import CardKey

pytestmark = pytest.mark.django_db


@pytest.fixture
def key(product):
    return CardKey.objects.filter(product=product).first()


def test_a_clerk_may_not_reveal_a_key(client, clerk, key):
    client.force_login(clerk)

    shown = client.get(reverse("admin:inventory_cardkey_reveal", args=[key.pk]))
    revealed = client.post(reverse("admin:inventory_cardkey_reveal", args=[key.pk]))

    assert (shown.status_code, revealed.status_code) == (403, 403)
    assert "KEY-" not in revealed.content.decode()
    assert AuditEntry.objects.filter(action="key.revealed").count() == 0


def test_a_clerk_may_not_export_keys(client, clerk, product):
    client.force_login(clerk)

    response = client.get(reverse("admin:inventory_cardkey_export", args=[product.pk]))

    assert response.status_code == 403
    assert "KEY-" not in response.content.decode()
    assert AuditEntry.objects.filter(action="keys.exported").count() == 0


def test_someone_not_staff_is_sent_to_the_login_page(client, outsider, key):
    client.force_login(outsider)

    response = client.post(reverse("admin:inventory_cardkey_reveal", args=[key.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert AuditEntry.objects.filter(action="key.revealed").count() == 0


def test_the_merchant_reveals_a_key_and_the_audit_log_says_so(client, merchant, key, product):
    client.force_login(merchant)

    response = client.post(reverse("admin:inventory_cardkey_reveal", args=[key.pk]))

    assert response.status_code == 200
    assert f"KEY-{product.pk}-00000" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    entry = AuditEntry.objects.get(action="key.revealed")
    assert (entry.actor, entry.subject_id) == ("user:merchant", str(key.pk))


def test_the_merchant_exports_unsold_keys_as_a_file(client, merchant, product):
    client.force_login(merchant)

    response = client.get(reverse("admin:inventory_cardkey_export", args=[product.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{product.slug}-unsold-keys.txt"'
    assert "no-store" in response["Cache-Control"]
    assert response.content.decode().splitlines() == [f"KEY-{product.pk}-{i:05d}" for i in range(5)]
    assert AuditEntry.objects.get(action="keys.exported").actor == "user:merchant"


def test_the_export_link_shows_only_to_those_who_may_export(client, merchant, clerk, product):
    changelist = reverse("admin:inventory_cardkey_changelist") + f"?product__id__exact={product.pk}"
    export = reverse("admin:inventory_cardkey_export", args=[product.pk])

    client.force_login(merchant)
    assert export in client.get(changelist).content.decode()
    client.force_login(clerk)
    assert export not in client.get(changelist).content.decode()
