"""Keys from a .txt (one per line) or .csv (card, password) file; a file too big or not text is refused."""

import pytest

from yongxu.conftest import make_product
from yongxu.inventory import crypto
from yongxu.inventory.models import CardKey
from yongxu.inventory.services import KeyImportError, import_keys, lines_from_upload

pytestmark = pytest.mark.django_db


def test_a_txt_file_is_one_key_per_line():
    assert lines_from_upload(b"K1\nK2\r\n\nK3", "keys.TXT") == ["K1", "K2", "", "K3"]


def test_a_csv_file_joins_card_and_password():
    data = b'C001,P001\r\nC002, P002\r\n"C003",\r\n,\r\n"C,004",P004\r\n'

    assert lines_from_upload(data, "keys.csv") == ["C001 P001", "C002 P002", "C003", "", "C,004 P004"]


def test_an_excel_csv_with_a_byte_order_mark_reads_the_same():
    assert lines_from_upload("C001,P001\n".encode("utf-8-sig"), "keys.csv") == ["C001 P001"]


def test_a_csv_import_stores_card_and_password_together():
    product = make_product()

    result = import_keys(product, lines_from_upload(b"C001,P001\nC002,P002\n", "keys.csv"), actor="test")

    assert result.added == 2
    assert [crypto.decrypt(k.secret_encrypted) for k in CardKey.objects.order_by("id")] == ["C001 P001", "C002 P002"]


def test_a_file_over_the_limit_is_refused(settings):
    settings.YONGXU_KEY_UPLOAD_MAX_BYTES = 1024

    with pytest.raises(KeyImportError) as refused:
        lines_from_upload(b"K" * 1025, "keys.txt")

    assert refused.value.code == "upload_too_large"
    assert refused.value.message == "The file is larger than 1 KiB."
    assert lines_from_upload(b"K" * 1024, "keys.txt") == ["K" * 1024]


@pytest.mark.parametrize("data", [b"\xff\xfeK\x00E\x00Y\x00", b"K1\n\xc3\x28\n", b"K1\x00K2\n"])
def test_a_file_that_is_not_utf8_text_is_refused(data):
    with pytest.raises(KeyImportError) as refused:
        lines_from_upload(data, "keys.txt")

    assert refused.value.code == "upload_not_text"
