from django.conf import settings

from yongxu.shop.services import shop_settings


def shop(request):
    row = shop_settings()
    return {"shop": row, "shop_name": row.name, "simulator_enabled": settings.YONGXU_SIMULATOR}
