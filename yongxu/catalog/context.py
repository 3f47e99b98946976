from django.conf import settings


def shop(request):
    return {"shop_name": getattr(settings, "YONGXU_SHOP_NAME", "Yongxu Shop"),
            "simulator_enabled": settings.YONGXU_SIMULATOR}
