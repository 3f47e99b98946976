"""What a file is comes from its first bytes; text must really be text."""

import pytest

from yongxu.support.files import sniff
from yongxu.support.tests.factories import EXE, PDF, PNG


@pytest.mark.parametrize(("head", "kind"), [
    (PNG, "png"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "jpeg"),
    (b"GIF89a\x01\x00", "gif"),
    (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "webp"),
    (PDF, "pdf"),
    ("订单 YX250601 的卡密无效\r\n".encode(), "txt"),
    (EXE, None),
    (b"\x7fELF\x02\x01\x01", None),
    (b"PK\x03\x04zip", None),
    (b"text with a NUL\x00 inside", None),
    (b"", None),
])
def test_sniff(head, kind):
    assert sniff(head) == kind


def test_a_character_cut_at_the_end_of_the_window_is_still_text():
    assert sniff("卡密".encode()[:-1]) == "txt"
