"""The Epay provider speaks the protocol as other implementations do: our signer agrees with epusdt's,
callbacks signed by epusdt are accepted, and any tampering is refused."""

import hashlib
from decimal import Decimal
from urllib.parse import parse_qsl, urlsplit

import pytest
from epusdt.signature import generate_epay_signature, verify_epay_signature
from hypothesis import example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from yongxu.payments.providers.base import IncomingNotification, InvalidNotification, VerifiedNotification
from yongxu.payments.providers.epay import EpayProvider, sign
from yongxu.payments.registry import get_provider
from yongxu.payments.tests.conftest import buy, epay_config, signed_by_epusdt

# Lower-case letters and "_" sort after "=", so ordering by key (PHP's ksort, which Epay uses and we
# follow) and epusdt's ordering of the joined "k=v" pairs agree. See test_sorts_by_key_as_php_ksort.
KEYS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=12)
VALUES = st.one_of(st.just(""), st.sampled_from(["测试商品", "支付宝 扫码", "9.99", "a&b=c"]), st.text(max_size=20))
PAID = {"pid": "1000", "trade_no": "2025010112345678", "out_trade_no": "YX250101ABCDEFGHJK-01", "type": "alipay",
        "name": "游戏点卡 100元", "money": "9.99", "trade_status": "TRADE_SUCCESS"}


def _incoming(params: dict) -> IncomingNotification:
    return IncomingNotification(method="GET", params=params, body=b"")


def _verify(params: dict) -> VerifiedNotification:
    # The protocol alone, without the merchant's GatewaySettings (and so without the database).
    return EpayProvider("epay", epay_config()).verify_notification(_incoming(params))


@hypothesis_settings(max_examples=300, database=None, deadline=None)
@given(params=st.dictionaries(KEYS, VALUES, max_size=10), key=st.text(min_size=1, max_size=40))
@example(params={"name": "测试商品", "money": "9.99", "param": ""}, key="商户密钥")
@example(params={"sign": "ignored", "sign_type": "MD5", "a": "1"}, key="k")
def test_sign_equals_epusdt_signature(params, key):
    assert sign(params, key) == generate_epay_signature(params, key)


def test_empty_values_are_left_out_of_the_signature():
    assert sign({"a": "1", "b": "", "c": None}, "key") == sign({"a": "1"}, "key")


def test_sorts_by_key_as_php_ksort():
    # Epay's PHP SDK ksort()s the keys: "a" before "a0". (epusdt sorts the "k=v" strings instead, which
    # puts "a0=…" first; no Epay field name is a prefix of another, so both agree on real callbacks.)
    assert sign({"a0": "2", "a": "1"}, "key") == hashlib.md5(b"a=1&a0=2key").hexdigest()  # noqa: S324 - the protocol


def test_notification_signed_by_epusdt_is_accepted():
    verified = _verify(signed_by_epusdt({**PAID, "pid": epay_config()["pid"]}))

    assert verified == VerifiedNotification(reference="YX250101ABCDEFGHJK-01", trade_no="2025010112345678",
                                            amount=Decimal("9.99"), currency="CNY", paid=True)


def test_signature_in_upper_case_is_accepted():
    params = signed_by_epusdt({**PAID, "pid": epay_config()["pid"]})

    assert _verify({**params, "sign": params["sign"].upper()}).paid is True


def test_unfinished_trade_is_authentic_but_not_paid():
    verified = _verify(signed_by_epusdt({**PAID, "pid": epay_config()["pid"], "trade_status": "WAIT_BUYER_PAY"}))

    assert verified.paid is False


def _flip(text: str) -> str:
    return ("0" if text[0] != "0" else "1") + text[1:]


@pytest.mark.parametrize(("tamper", "reason"), [
    (lambda p: {**p, "money": "0.01"}, "bad signature"),
    (lambda p: {**p, "out_trade_no": "YX250101ZZZZZZZZZZ-01"}, "bad signature"),
    (lambda p: {**p, "trade_status": "TRADE_SUCCESS", "name": "another product"}, "bad signature"),
    (lambda p: {**p, "sign": _flip(p["sign"])}, "bad signature"),
    (lambda p: {key: value for key, value in p.items() if key != "sign"}, "bad signature"),
    (lambda p: {**p, "sign": ""}, "bad signature"),
    (lambda p: signed_by_epusdt({**PAID, "pid": epay_config()["pid"]}, key="not-our-key"), "bad signature"),
    (lambda p: signed_by_epusdt({**PAID, "pid": "9999"}), "for another merchant id"),
    (lambda p: signed_by_epusdt({**PAID, "pid": epay_config()["pid"], "money": "9.999"}), "not an amount"),
    (lambda p: signed_by_epusdt({**PAID, "pid": epay_config()["pid"], "money": "-1.00"}), "not an amount"),
    (lambda p: {key: value for key, value in p.items() if key != "trade_no"}, "missing trade_no"),
    (lambda p: {**p, "out_trade_no": "", "money": ""}, "missing out_trade_no, money"),
], ids=["money", "out_trade_no", "name", "sign-flipped", "sign-missing", "sign-empty", "other-key", "other-pid",
        "money-3-places", "money-negative", "no-trade_no", "empty-fields"])
def test_tampered_notification_is_refused(tamper, reason):
    params = tamper(signed_by_epusdt({**PAID, "pid": epay_config()["pid"]}))

    with pytest.raises(InvalidNotification, match=reason):
        _verify(params)


@pytest.mark.django_db
def test_redirect_to_submit_php_is_signed_for_the_gateway(settings, product):
    settings.SITE_URL = "https://shop.example"
    order, payment = buy(product, quantity=2)

    redirect = get_provider("epay").start(payment, notify_url="https://shop.example/pay/notify/epay/",
                                          return_url="https://shop.example/back/", cancel_url="")

    url = urlsplit(redirect.redirect_url)
    params = dict(parse_qsl(url.query))
    assert f"{url.scheme}://{url.netloc}{url.path}" == epay_config()["gateway_url"].rstrip("/") + "/submit.php"
    assert verify_epay_signature(params, epay_config()["key"]) is True
    assert {name: params[name] for name in ("pid", "type", "out_trade_no", "notify_url", "money", "sign_type")} == {
        "pid": epay_config()["pid"], "type": "alipay", "out_trade_no": payment.reference,
        "notify_url": "https://shop.example/pay/notify/epay/", "money": "19.98", "sign_type": "MD5"}
    assert order.amount == Decimal("19.98")
