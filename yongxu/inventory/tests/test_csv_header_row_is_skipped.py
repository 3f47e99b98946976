from yongxu.inventory.services import lines_from_upload


def test_a_header_row_is_not_imported_as_a_key():
    data = b"card,password\nCARD-1,PW-1\nCARD-2,PW-2\n"

    assert lines_from_upload(data, "keys.csv") == ["CARD-1 PW-1", "CARD-2 PW-2"]


def test_a_chinese_header_row_is_skipped_too():
    data = "卡号,密码\n1234,5678\n".encode()

    assert lines_from_upload(data, "keys.csv") == ["1234 5678"]


def test_without_a_header_every_row_is_a_key():
    assert lines_from_upload(b"CARD-1,PW-1\n", "keys.csv") == ["CARD-1 PW-1"]
