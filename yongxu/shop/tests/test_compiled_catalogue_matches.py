"""The compiled .mo is checked in (the demo runs without gettext) and says what the .po says."""

import gettext

from yongxu.shop.tests.catalogue import catalogue, read_po


def test_the_committed_mo_translates_every_message_as_the_po_does():
    po = catalogue()
    with po.with_suffix(".mo").open("rb") as compiled:
        translations = gettext.GNUTranslations(compiled)

    differing = []
    for entry in read_po(po):
        if entry.msgctxt is not None:
            shown = translations.pgettext(entry.msgctxt, entry.msgid)
        elif entry.msgid_plural is None:
            shown = translations.gettext(entry.msgid)
        else:
            shown = translations.ngettext(entry.msgid, entry.msgid_plural, 1)
        if shown != entry.msgstrs[0]:
            differing.append(entry.msgid)
    assert differing == []
