from django.utils import translation

from yongxu.core.text import join_list


def test_lists_are_joined_as_each_language_writes_them():
    with translation.override("en"):
        english = join_list(["checkout", "payment"])
    with translation.override("zh-hans"):
        chinese = join_list(["下单", "支付"])

    assert (english, chinese) == ("checkout, payment", "下单、支付")
