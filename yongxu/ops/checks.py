"""System checks with stable ids: softer configuration problems, reported by `yongxu check --deploy`
and at start-up. (Unsafe production settings, the gateway simulator among them, are refused outright by
settings.py: yongxu/core/production.py.)"""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def production_sanity(app_configs, **kwargs):
    problems = []
    if settings.PRODUCTION and settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        problems.append(Warning("Production on SQLite: fine for one small shop, but PostgreSQL is advised.",
                                id="yongxu.ops.W001"))
    if settings.PRODUCTION and not settings.SITE_URL.startswith("https://"):
        problems.append(Warning("YONGXU_SITE_URL is not https: gateways and buyers will use plain HTTP links.",
                                id="yongxu.ops.W002"))
    return problems


@register()
def site_url_is_absolute(app_configs, **kwargs):
    if not settings.SITE_URL.startswith(("http://", "https://")):
        return [Error(f"YONGXU_SITE_URL={settings.SITE_URL!r} must be an absolute http(s) URL: gateways call it back.",
                      id="yongxu.payments.E002")]
    return []
