"""Every route declares its capability (yongxu.core.capabilities); a test proves none is missing."""

from django.contrib import admin
from django.views.i18n import set_language

from yongxu.accounts import urls as accounts
from yongxu.accounts import views as accounts_views
from yongxu.api import api
from yongxu.catalog import views as catalog
from yongxu.core.capabilities import (
                                      ACCOUNTS,
                                      API,
                                      BROWSE,
                                      BYPASS,
                                      CHECKOUT,
                                      DELIVERY,
                                      HEALTH,
                                      LOOKUP,
                                      OPS,
                                      PAYMENT,
                                      PAYMENT_NOTIFY,
                                      STAFF_LOGIN,
                                      STATUS,
                                      SUPPORT,
                                      route,
)
from yongxu.core.http import lazy_view
from yongxu.maintenance import views as maintenance
from yongxu.notices import urls as notices
from yongxu.notices import views as status
from yongxu.ops import views as ops
from yongxu.orders import views as orders
from yongxu.payments import views as payments
from yongxu.payments.simulator import alipay as simulator_alipay
from yongxu.payments.simulator import epusdt as simulator_epusdt
from yongxu.payments.simulator import paypal as simulator_paypal
from yongxu.payments.simulator import views as simulator
from yongxu.payments.simulator import wechat as simulator_wechat
from yongxu.shop import views as shop
from yongxu.support import urls as support

urlpatterns = [
    route("", catalog.home, name="home", capability=BROWSE),
    route("p/<slug:slug>/", catalog.product_detail, name="product", capability=BROWSE),
    route("p/<slug:slug>/quote/", catalog.price_quote, name="quote", capability=BROWSE),
    route("p/<slug:slug>/buy/", orders.buy, name="buy", capability=CHECKOUT),
    route("o/<str:token>/", orders.order_page, name="order", capability=DELIVERY),
    route("o/<str:token>/unlock/", orders.unlock, name="order-unlock", capability=DELIVERY),
    route("o/<str:token>/pay/", orders.pay, name="order-pay", capability=PAYMENT),
    route("o/<str:token>/pay/<str:reference>/", payments.pay_page, name="payment-pay", capability=PAYMENT),
    route("o/<str:token>/return/", orders.payment_return, name="order-return", capability=PAYMENT),
    route("lookup/", orders.lookup, name="lookup", capability=LOOKUP),
    route("account/", accounts.urlpatterns, capability=ACCOUNTS),
    route("support/", support.urlpatterns, capability=SUPPORT),
    route("pay/notify/<str:provider>/", payments.notify, name="pay-notify", capability=PAYMENT_NOTIFY),
    # The demo gateway is "outside" the shop: it plays the payment provider's own site.
    route("simulator/submit.php", simulator.submit, name="simulator-submit", capability=PAYMENT),
    route("simulator/api.php", simulator.api, name="simulator-api", capability=PAYMENT),
    route("simulator/pay/<str:trade_no>/", simulator.pay_page, name="simulator-pay", capability=PAYMENT),
    route("simulator/pay/<str:trade_no>/act/", simulator.act, name="simulator-act", capability=PAYMENT),
    route("simulator/alipay/gateway.do", simulator_alipay.gateway, name="simulator-alipay-gateway", capability=PAYMENT),
    route("simulator/alipay/pay/<str:trade_no>/", simulator_alipay.pay_page, name="simulator-alipay-pay",
          capability=PAYMENT),
    route("simulator/alipay/pay/<str:trade_no>/act/", simulator_alipay.act, name="simulator-alipay-act",
          capability=PAYMENT),
    route("simulator/epusdt/payments/gmpay/v1/order/create-transaction", simulator_epusdt.create_transaction,
          name="simulator-epusdt-create", capability=PAYMENT),
    route("simulator/epusdt/pay/checkout-counter-resp/<str:trade_no>", simulator_epusdt.checkout,
          name="simulator-epusdt-checkout", capability=PAYMENT),
    route("simulator/epusdt/pay/<str:trade_no>/", simulator_epusdt.pay_page, name="simulator-epusdt-pay",
          capability=PAYMENT),
    route("simulator/epusdt/pay/<str:trade_no>/act/", simulator_epusdt.act, name="simulator-epusdt-act",
          capability=PAYMENT),
    route("simulator/wechat/v3/pay/transactions/native", simulator_wechat.native, name="simulator-wechat-native",
          capability=PAYMENT),
    route("simulator/wechat/v3/pay/transactions/out-trade-no/<str:out_trade_no>", simulator_wechat.query,
          name="simulator-wechat-query", capability=PAYMENT),
    route("simulator/wechat/v3/refund/domestic/refunds", simulator_wechat.refund, name="simulator-wechat-refund",
          capability=PAYMENT),
    route("simulator/wechat/pay/<str:trade_no>/", simulator_wechat.pay_page, name="simulator-wechat-pay",
          capability=PAYMENT),
    route("simulator/wechat/pay/<str:trade_no>/act/", simulator_wechat.act, name="simulator-wechat-act",
          capability=PAYMENT),
    route("simulator/paypal/v1/oauth2/token", simulator_paypal.token, name="simulator-paypal-token", capability=PAYMENT),
    route("simulator/paypal/v2/checkout/orders", simulator_paypal.create_order, name="simulator-paypal-orders",
          capability=PAYMENT),
    route("simulator/paypal/v2/checkout/orders/<str:order_id>", simulator_paypal.get_order,
          name="simulator-paypal-order", capability=PAYMENT),
    route("simulator/paypal/v2/checkout/orders/<str:order_id>/capture", simulator_paypal.capture_order,
          name="simulator-paypal-capture", capability=PAYMENT),
    route("simulator/paypal/v2/payments/captures/<str:capture_id>/refund", simulator_paypal.refund_capture,
          name="simulator-paypal-refund", capability=PAYMENT),
    route("simulator/paypal/v1/notifications/certs/<str:name>", simulator_paypal.certificate,
          name="simulator-paypal-cert", capability=PAYMENT),
    route("simulator/paypal/pay/<str:trade_no>/", simulator_paypal.pay_page, name="simulator-paypal-pay",
          capability=PAYMENT),
    route("simulator/paypal/pay/<str:trade_no>/act/", simulator_paypal.act, name="simulator-paypal-act",
          capability=PAYMENT),
    route("healthz", ops.healthz, name="healthz", capability=HEALTH),
    route("readyz", ops.readyz, name="readyz", capability=HEALTH),
    route("status/", status.status_page, name="status", capability=STATUS),
    route("status.json", status.status_json, name="status-json", capability=STATUS),
    route("status/subscribe/", maintenance.subscribe_back, name="status-subscribe", capability=STATUS),
    route("status/", notices.urlpatterns, capability=STATUS),
    route("maintenance/bypass/<str:secret>/", maintenance.bypass_link, name="maintenance-bypass", capability=BYPASS),
    route("admin/dashboard/", ops.dashboard_page, name="dashboard", capability=OPS),
    route("admin/advisor/", lazy_view("yongxu.planner.views.advisor_page"), name="planner-advisor", capability=OPS),
    route("admin/advisor/window/<int:pk>/", lazy_view("yongxu.planner.views.window_traffic_page"),
          name="planner-window-traffic", capability=OPS),
    route("admin/maintenance/", maintenance.control_room, name="control-room", capability=OPS),
    route("admin/emails/", shop.email_preview, name="email-preview", capability=OPS),
    # Choosing a language must work on the maintenance and status pages too.
    route("i18n/setlang/", set_language, name="set_language", capability=STATUS),
    # Staff sign in here during maintenance: that is how their bypass permission reaches them.
    route("admin/login/", accounts_views.staff_login, name="staff-login", capability=STAFF_LOGIN),
    route("admin/", admin.site.urls, capability=OPS),
    route("api/v1/", api.urls, capability=API),
]
handler500 = "yongxu.core.views.server_error"
