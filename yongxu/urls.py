"""Every route declares its capability (yongxu.core.capabilities); a test proves none is missing."""

from django.contrib import admin

from yongxu.api import api
from yongxu.catalog import views as catalog
from yongxu.core.capabilities import (
                                      API,
                                      BROWSE,
                                      CHECKOUT,
                                      DELIVERY,
                                      HEALTH,
                                      LOOKUP,
                                      OPS,
                                      PAYMENT,
                                      PAYMENT_NOTIFY,
                                      route,
)
from yongxu.ops import views as ops
from yongxu.orders import views as orders
from yongxu.payments import views as payments
from yongxu.payments.simulator import views as simulator

urlpatterns = [
    route("", catalog.home, name="home", capability=BROWSE),
    route("p/<slug:slug>/", catalog.product_detail, name="product", capability=BROWSE),
    route("p/<slug:slug>/buy/", orders.buy, name="buy", capability=CHECKOUT),
    route("o/<str:token>/", orders.order_page, name="order", capability=DELIVERY),
    route("o/<str:token>/unlock/", orders.unlock, name="order-unlock", capability=DELIVERY),
    route("o/<str:token>/pay/", orders.pay, name="order-pay", capability=PAYMENT),
    route("o/<str:token>/return/", orders.payment_return, name="order-return", capability=PAYMENT),
    route("lookup/", orders.lookup, name="lookup", capability=LOOKUP),
    route("pay/notify/<str:provider>/", payments.notify, name="pay-notify", capability=PAYMENT_NOTIFY),
    # The demo gateway is "outside" the shop: it plays the payment provider's own site.
    route("simulator/submit.php", simulator.submit, name="simulator-submit", capability=PAYMENT),
    route("simulator/api.php", simulator.api, name="simulator-api", capability=PAYMENT),
    route("simulator/pay/<str:trade_no>/", simulator.pay_page, name="simulator-pay", capability=PAYMENT),
    route("simulator/pay/<str:trade_no>/act/", simulator.act, name="simulator-act", capability=PAYMENT),
    route("healthz", ops.healthz, name="healthz", capability=HEALTH),
    route("readyz", ops.readyz, name="readyz", capability=HEALTH),
    route("admin/dashboard/", ops.dashboard_page, name="dashboard", capability=OPS),
    route("admin/", admin.site.urls, capability=OPS),
    route("api/v1/", api.urls, capability=API),
]
