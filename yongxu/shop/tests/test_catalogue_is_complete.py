"""The Chinese catalogue translates every message: no empty msgstr, nothing left fuzzy."""

from yongxu.shop.tests.catalogue import catalogue, read_po


def test_every_message_has_a_chinese_translation():
    entries = read_po(catalogue())

    untranslated = [entry.msgid for entry in entries if not all(text.strip() for text in entry.msgstrs)]
    assert len(entries) > 300
    assert untranslated == []


def test_no_translation_is_left_fuzzy():
    fuzzy = [entry.msgid for entry in read_po(catalogue()) if "fuzzy" in entry.flags]

    assert fuzzy == []


def test_the_header_declares_chinese_and_utf8_and_is_not_fuzzy():
    text = catalogue().read_text(encoding="utf-8")
    header = text.split("\n\n", 1)[0]

    assert "#, fuzzy" not in header
    assert '"Language: zh_Hans\\n"' in header
    assert '"Content-Type: text/plain; charset=UTF-8\\n"' in header
