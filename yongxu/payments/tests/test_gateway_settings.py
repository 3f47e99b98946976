"""Per-gateway settings (GatewaySettings): the merchant's switch, name, order, limits and fee merged over the
settings dict; a gateway switched off or outside its limits leaves checkout with a line saying why and is
refused by start_payment, while its callbacks still apply; the fee is shown before paying and is exactly
what the gateway is asked for; credentials are encrypted at rest and never shown back."""

from decimal import Decimal
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.db import connection

from yongxu.orders.models import OrderStatus
from yongxu.orders.services import place_order
from yongxu.payments.models import GatewaySettings, Payment
from yongxu.payments.registry import UnknownProvider, available_providers, get_provider
from yongxu.payments.services import CannotPay, start_payment
from yongxu.payments.tests.conftest import buy, epay_notification, money_state
from yongxu.payments.tests.fake_alipay import alipay_notification

pytestmark = pytest.mark.django_db
OFF_LINE = "支付宝 Alipay is not offered by this shop at the moment; please use another payment method."
SECRET = "epay-merchant-key-s3cret-7c1f"


def _names(providers) -> list[str]:
    return [provider.name for provider in providers]


def test_a_switched_off_gateway_is_not_offered_and_checkout_says_why(alipay, product, client):
    GatewaySettings.objects.create(name="alipay", enabled=False)
    order = place_order(product, quantity=1, email="buyer@example.com")

    product_page = client.get(f"/p/{product.slug}/").content.decode()
    order_page = client.get(f"/o/{order.token}/").content.decode()

    for page in (product_page, order_page):
        assert 'value="alipay"' not in page and 'value="epay"' in page and OFF_LINE in page


def test_start_payment_refuses_a_switched_off_gateway(alipay, product):
    GatewaySettings.objects.create(name="alipay", enabled=False)
    order = place_order(product, quantity=1, email="buyer@example.com")

    with pytest.raises(UnknownProvider):
        start_payment(order, "alipay")

    assert (Payment.objects.filter(order=order).count(), alipay.precreated) == (0, [])


def test_callbacks_of_a_switched_off_gateway_are_still_applied(alipay, product, client,
                                                               django_capture_on_commit_callbacks):
    order, payment = buy(product, provider="alipay")
    GatewaySettings.objects.create(name="alipay", enabled=False)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/pay/notify/alipay/", alipay_notification(payment))

    assert response.content == b"success"
    assert money_state(order).order_status == OrderStatus.DELIVERED


def test_a_row_cannot_switch_on_a_gateway_that_is_not_configured(product):
    GatewaySettings.objects.create(name="stripe", enabled=True)

    assert "stripe" not in _names(available_providers("CNY"))
    with pytest.raises(UnknownProvider):
        get_provider("stripe")


def test_display_name_and_order_come_from_the_row(alipay, product):
    assert _names(available_providers("CNY")) == ["epay", "alipay", "wechat", "epusdt", "paypal"]  # last three simulated
    GatewaySettings.objects.create(name="alipay", display_name="支付宝扫码", sort_order=1)

    providers = available_providers("CNY")

    assert [(provider.name, provider.label) for provider in providers][:2] == [("alipay", "支付宝扫码"),
                                                                              ("epay", "Alipay / WeChat (Epay)")]


@pytest.mark.parametrize(("limits", "line"), [
    ({"max_amount": Decimal("9.98")}, "支付宝 Alipay takes payments of up to 9.98 CNY only."),
    ({"min_amount": Decimal("10.00")}, "支付宝 Alipay takes payments of 10.00 CNY or more only."),
    ({"min_amount": Decimal("10.00"), "max_amount": Decimal("500.00")},
     "支付宝 Alipay takes payments from 10.00 to 500.00 CNY only."),
])
def test_an_amount_outside_the_limits_leaves_checkout_and_is_refused(alipay, product, client, limits, line):
    GatewaySettings.objects.create(name="alipay", **limits)
    order = place_order(product, quantity=1, email="buyer@example.com")  # 9.99 CNY

    page = client.get(f"/o/{order.token}/").content.decode()
    with pytest.raises(CannotPay) as refused:
        start_payment(order, "alipay")

    assert 'value="alipay"' not in page and 'value="epay"' in page and line in page
    assert refused.value.code == "amount_out_of_range"
    assert (Payment.objects.filter(order=order).count(), alipay.precreated) == (0, [])


def test_the_limits_are_inclusive_and_apply_to_another_quantity(alipay, product, client):
    GatewaySettings.objects.create(name="alipay", min_amount=Decimal("9.99"), max_amount=Decimal("19.98"))

    assert "alipay" in _names(available_providers("CNY", Decimal("9.99")))
    assert "alipay" in _names(available_providers("CNY", Decimal("19.98")))
    quote = client.get(f"/p/{product.slug}/quote/", {"quantity": "3"}).content.decode()
    assert "支付宝 Alipay takes payments from 9.99 to 19.98 CNY only." in quote


def test_the_fee_is_shown_before_paying_and_charged_exactly(gateway, product, client, notify):
    GatewaySettings.objects.create(name="epay", fee_fixed=Decimal("0.50"), fee_percent=Decimal("2.00"))
    # 9.99 + 0.50 + 2 % of 9.99 (0.1998) = 10.69
    product_page = client.get(f"/p/{product.slug}/").content.decode()
    order = place_order(product, quantity=1, email="buyer@example.com")
    order_page = client.get(f"/o/{order.token}/").content.decode()

    assert "With Alipay / WeChat (Epay): fee 0.70 CNY, you pay 10.69 CNY." in product_page
    assert "(fee 0.70 CNY, you pay 10.69 CNY)" in order_page

    start = start_payment(order, "epay")
    payment = Payment.objects.get(order=order)

    assert (order.amount, payment.fee, payment.amount) == (Decimal("9.99"), Decimal("0.70"), Decimal("10.69"))
    assert dict(parse_qsl(urlsplit(start.redirect_url).query))["money"] == "10.69"

    before = money_state(order)
    assert notify(epay_notification(payment, money="9.99")).content == b"success"  # the fee left out
    assert money_state(order) == before

    assert notify(epay_notification(payment, money="10.69")).content == b"success"
    assert money_state(order).order_status == OrderStatus.DELIVERED


def test_the_quote_follows_the_quantity(gateway, product, client):
    GatewaySettings.objects.create(name="epay", fee_percent=Decimal("1.00"))

    quote = client.get(f"/p/{product.slug}/quote/", {"quantity": "2"}).content.decode()

    assert "With Alipay / WeChat (Epay): fee 0.20 CNY, you pay 20.18 CNY." in quote


def test_no_fee_no_fee_line(product, client):
    assert "fee" not in client.get(f"/p/{product.slug}/").content.decode().lower()


def test_credentials_are_encrypted_at_rest_and_used(settings):
    row = GatewaySettings(name="epay")
    row.set_credentials({"key": SECRET, "class": "os.system"})
    row.save()

    with connection.cursor() as cursor:
        cursor.execute("SELECT credentials FROM payments_gatewaysettings WHERE name = %s", ["epay"])
        (stored,) = cursor.fetchone()

    assert SECRET not in stored and stored.startswith("gAAAA")  # a Fernet token
    provider = get_provider("epay")
    assert provider.config["key"] == SECRET
    assert provider.config["class"] == settings.YONGXU_PAYMENT_PROVIDERS["epay"]["class"]


def test_admin_stores_credentials_encrypted_and_never_shows_them(client, operator):
    client.force_login(operator)
    form = {"name": "epay", "enabled": "on", "display_name": "", "sort_order": "100", "min_amount": "",
            "max_amount": "", "fee_fixed": "0.30", "fee_percent": "0.60", "new_credentials": f'{{"key": "{SECRET}"}}'}

    response = client.post("/admin/payments/gatewaysettings/add/", form)

    assert response.status_code == 302
    row = GatewaySettings.objects.get(name="epay")
    assert (SECRET not in row.credentials, row.get_credentials(), row.fee_fixed) == (True, {"key": SECRET},
                                                                                      Decimal("0.30"))
    page = client.get(f"/admin/payments/gatewaysettings/{row.pk}/change/").content.decode()
    assert SECRET not in page and "key: epa" in page

    client.post(f"/admin/payments/gatewaysettings/{row.pk}/change/", {**form, "new_credentials": ""})
    row.refresh_from_db()
    assert row.get_credentials() == {"key": SECRET}  # blank keeps them


def test_admin_refuses_to_override_the_provider_class(client, operator):
    client.force_login(operator)

    response = client.post("/admin/payments/gatewaysettings/add/", {
        "name": "epay", "enabled": "on", "sort_order": "100", "fee_fixed": "0", "fee_percent": "0",
        "new_credentials": '{"class": "os.system"}'})

    assert response.status_code == 200 and "cannot be set here: class" in response.content.decode()
    assert not GatewaySettings.objects.exists()
