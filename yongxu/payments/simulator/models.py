from django.db import models


class SimulatedTrade(models.Model):
    """A trade on the built-in gateway simulator (Epay, Alipay's OpenAPI, epusdt, WeChat Pay v3, PayPal Orders
    v2): the gateway's side of the story, not the shop's. ``pid`` holds the merchant's id (Alipay's app_id,
    WeChat's mchid, PayPal's client id) and ``money`` the fiat amount, as text ("9.99"); for PayPal
    ``trade_no`` is the order id."""

    protocol = models.CharField(max_length=10, default="epay", help_text="epay, alipay, epusdt, wechat or paypal")
    trade_no = models.CharField(max_length=32, unique=True)
    pid = models.CharField(max_length=32)
    out_trade_no = models.CharField(max_length=64)
    pay_type = models.CharField(max_length=20)
    name = models.CharField(max_length=200)
    money = models.CharField(max_length=20)
    paid_money = models.CharField(max_length=20, blank=True)
    notify_url = models.URLField(max_length=500)
    return_url = models.URLField(max_length=500, blank=True)
    status = models.PositiveSmallIntegerField(default=0, help_text="0 unpaid, 1 paid")
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    notify_attempts = models.PositiveIntegerField(default=0)
    notified = models.BooleanField(default=False)
    refunds = models.JSONField(default=dict, blank=True, help_text="out_request_no -> refunded amount (Alipay)")
    details = models.JSONField(default=dict, blank=True,
                               help_text="protocol's own fields: USDT amount and address (epusdt), appid (WeChat), "
                                         "currency, order status and capture id (PayPal)")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["protocol", "pid", "out_trade_no"], name="simulated_trade_once")]
