"""Staff preview of every e-mail the shop sends, rendered with sample data in either language."""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from yongxu.core import clock
from yongxu.shop.emails import render_email


def _sample_order():
    from yongxu.catalog.models import Product
    from yongxu.orders.models import Order

    now = clock.now()
    product = Product(name="Steam 钱包充值卡 50 元", price=Decimal("50.00"), currency="CNY")
    return Order(number="YX261126SAMPLE0001", token="sample-token", product=product, product_name=product.name,
                 quantity=2, unit_price=Decimal("50.00"), subtotal=Decimal("100.00"), discount=Decimal("10.00"),
                 amount=Decimal("90.00"), currency="CNY", email="buyer@example.com", created_at=now,
                 expires_at=now + timedelta(minutes=15))


def _order_context(kind: str) -> dict:
    order = _sample_order()
    return {"order": order, "order_url": f"{settings.SITE_URL}/o/sample-token/", "guarded": False,
            "manual": kind == "manual", "items": ["ABCDE-FGHIJ-KLMNO", "PQRST-UVWXY-Z2345"]}


# name → (template, sample context). Other apps add their e-mails here as they grow.
PREVIEWS = {
    "order placed": ("orders/email/placed", lambda: _order_context("auto")),
    "order paid, being prepared": ("orders/email/received", lambda: _order_context("auto")),
    "keys delivered": ("orders/email/delivered", lambda: _order_context("auto")),
    "manual delivery done": ("orders/email/delivered", lambda: {**_order_context("manual"),
                                                                 "items": ["Your account was topped up."]}),
}


@staff_member_required
def email_preview(request):
    language = request.GET.get("lang", request.LANGUAGE_CODE)
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    name = request.GET.get("name")
    if name:
        if name not in PREVIEWS:
            raise Http404("No such e-mail")
        template, context = PREVIEWS[name]
        subject, text, html = render_email(template, context(), language=language)
        if request.GET.get("part") == "html":
            response = HttpResponse(html)
            response["X-Frame-Options"] = "SAMEORIGIN"  # shown in the preview page's iframe, and nowhere else
            return response
        return render(request, "shop/email_preview.html", {"title": f"E-mail: {name}", "names": PREVIEWS, "name": name,
                                                           "language": language, "subject": subject, "text": text})
    return render(request, "shop/email_preview.html", {"title": "E-mail previews", "names": PREVIEWS,
                                                       "language": language})
