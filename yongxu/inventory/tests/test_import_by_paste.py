"""Pasted keys are trimmed, blanks skipped, duplicates and invalid lines counted, and the rest added."""

import pytest

from yongxu.audit.models import AuditEntry
from yongxu.conftest import make_product
from yongxu.inventory import crypto
from yongxu.inventory.models import CardKey, KeyStatus
from yongxu.inventory.services import available_count, import_keys

pytestmark = pytest.mark.django_db


def clear_keys(product) -> list[str]:
    return [crypto.decrypt(key.secret_encrypted) for key in CardKey.objects.filter(product=product).order_by("id")]


def test_a_paste_is_cleaned_and_counted_line_by_line(merchant):
    product = make_product()
    import_keys(product, ["ALREADY-IN-STOCK"], actor="test")
    paste = [
        "  AAA-111  ",              # 1 trimmed
        "",                         # 2 blank: skipped, not counted
        "   \t ",                   # 3 blank
        "BBB-222",                  # 4
        "AAA-111",                  # 5 duplicate within the paste
        "CARD123    PASS456",       # 6 card + password, inner blanks folded
        "bad\x07key",               # 7 control character
        "x" * 501,                  # 8 too long
        "ALREADY-IN-STOCK",         # 9 duplicate against stock
        "y" * 500,                  # 10 the longest allowed
        "CARD789\tPASS000",         # 11 a tab separates too
    ]

    result = import_keys(product, paste, actor=merchant)

    assert (result.added, result.duplicates, result.invalid) == (5, 2, 2)
    assert result.invalid_lines == [7, 8]
    assert clear_keys(product) == ["ALREADY-IN-STOCK", "AAA-111", "BBB-222", "CARD123 PASS456", "y" * 500,
                                   "CARD789 PASS000"]
    assert available_count(product) == 6


def test_a_paste_of_only_duplicates_adds_nothing(merchant):
    product = make_product()
    import_keys(product, ["K1", "K2"], actor="test")

    result = import_keys(product, ["K1", "K2", "K2"], actor=merchant)

    assert (result.added, result.duplicates, result.invalid) == (0, 3, 0)
    assert CardKey.objects.filter(product=product).count() == 2


def test_the_same_key_may_be_stocked_for_two_products():
    first, second = make_product(), make_product()

    import_keys(first, ["SHARED"], actor="test")
    result = import_keys(second, ["SHARED"], actor="test")

    assert result.added == 1
    assert CardKey.objects.filter(status=KeyStatus.AVAILABLE).count() == 2


def test_an_import_is_audited_with_its_counts(merchant):
    product = make_product()

    result = import_keys(product, ["K1", "K1", "\x00"], actor=merchant)

    entry = AuditEntry.objects.filter(action="keys.imported").latest("id")
    assert (entry.actor, entry.subject_id) == ("user:merchant", str(product.pk))
    assert entry.data == {"batch": CardKey.objects.get().batch, "added": 1, "duplicates": 1, "invalid": 1,
                          "fulfilled": []}
    assert result.fulfilled_orders == []
