"""The one settings module. Embedded defaults (SQLite, local memory, files under var/) unless the
environment says otherwise; unsafe production configurations are refused at start-up."""

from pathlib import Path

import dj_database_url

from yongxu.core.env import env_bool, env_decimal, env_int, env_list, env_str
from yongxu.core.files import private_dir, private_file
from yongxu.core.production import REQUIRED as REQUIRED_IN_PRODUCTION
from yongxu.core.production import refuse_unsafe_production
from yongxu.core.secrets import embedded_secret
from yongxu.core.siteurl import recorded as recorded_site_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("YONGXU_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

TESTING = env_bool("YONGXU_TESTING", False)
PRODUCTION = env_bool("YONGXU_PRODUCTION", False)
DEBUG = env_bool("DEBUG", False)

# Production generates no secret of its own: what is missing is refused below (refuse_unsafe_production).
SECRET_KEY = env_str("SECRET_KEY") or ("" if PRODUCTION else embedded_secret(VAR_DIR, "django_secret_key"))
# Card keys are encrypted at rest with this Fernet key (urlsafe base64, 32 bytes).
KEY_ENCRYPTION_KEY = env_str("YONGXU_KEY_ENCRYPTION_KEY") or ("" if PRODUCTION else embedded_secret(
    VAR_DIR, "key_encryption_key", lambda: __import__("cryptography.fernet").fernet.Fernet.generate_key().decode()))

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The public base URL. Unset: 127.0.0.1 on $PORT; without $PORT (a command in another shell than the
# shop's), the address the web process recorded in var/site_url when it started, else port 8000.
SITE_URL = (env_str("YONGXU_SITE_URL") or (f"http://127.0.0.1:{env_int('PORT', 8000)}" if env_str("PORT") else "")
            or recorded_site_url(VAR_DIR) or "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",  # the API docs' Swagger UI from our own static files (not a CDN, and no inline script)
    "huey.contrib.djhuey",
    "yongxu.audit",
    "yongxu.catalog",
    "yongxu.inventory",
    "yongxu.orders",
    "yongxu.payments",
    "yongxu.payments.simulator",
    "yongxu.ops",
    "yongxu.maintenance",
    "yongxu.notices",
    "yongxu.coupons",
    "yongxu.shop",
    "yongxu.accounts",
    "yongxu.support",
    "yongxu.planner",
    "yongxu.outbox",
    "yongxu.limits",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside everything below, so every answer (the gate's 503s and error pages too) carries the policy.
    "yongxu.core.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Before anything reads the body or the database sees a parameter: bad input is a 400 (413), never a 500.
    "yongxu.core.guard.RequestGuardMiddleware",
    "django.middleware.common.CommonMiddleware",
    # The gate decides in process_view, after the URL is resolved and before any view (or CSRF) runs.
    "yongxu.maintenance.gate.MaintenanceGateMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so it is asked first about an exception from a view: domain errors become answers here.
    "yongxu.core.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "yongxu.urls"
WSGI_APPLICATION = "yongxu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "yongxu" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "yongxu.shop.context.shop",
                "yongxu.maintenance.context.maintenance",
            ],
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'yongxu.sqlite3'}")
_SERVER_DATABASE = not DATABASE_URL.startswith("sqlite")
# Keep server connections open between requests (a new PostgreSQL connection per request halves
# throughput); health checks drop a connection the server closed.
DATABASES = {"default": dj_database_url.parse(
    DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60 if _SERVER_DATABASE else 0),
    conn_health_checks=_SERVER_DATABASE)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE: a writer takes the lock at BEGIN, so two writers queue instead of deadlocking.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["TEST"] = {"NAME": env_str("YONGXU_TEST_SQLITE", "")} if env_str("YONGXU_TEST_SQLITE") else {}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    # Redis is an accelerator: a failing Redis is a cache miss (yongxu/core/cache.py), never a 500.
    CACHES = {"default": {"BACKEND": "yongxu.core.cache.ResilientRedisCache", "LOCATION": REDIS_URL,
                          "KEY_PREFIX": env_str("YONGXU_CACHE_PREFIX", "yongxu")}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

if TESTING:
    HUEY = {"huey_class": "huey.MemoryHuey", "name": "yongxu", "immediate": True}
elif REDIS_URL:
    HUEY = {"huey_class": "huey.RedisHuey", "name": env_str("YONGXU_QUEUE_NAME", "yongxu"), "url": REDIS_URL,
            "immediate": False, "consumer": {"workers": env_int("HUEY_WORKERS", 2), "worker_type": "thread"}}
else:
    HUEY = {"huey_class": "huey.SqliteHuey", "name": "yongxu", "filename": str(VAR_DIR / "huey.sqlite3"),
            "immediate": False, "consumer": {"workers": env_int("HUEY_WORKERS", 2), "worker_type": "thread"}}

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "yongxu" / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns about a missing folder before collectstatic ran
MEDIA_ROOT = VAR_DIR / "media"  # never served as is: support attachments go through a view that checks access
STATICFILES_DIRS = [BASE_DIR / "yongxu" / "static"]
STORAGES = {
    # Support attachments: the owner's only (not FILE_UPLOAD_PERMISSIONS, which collectstatic would use too).
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"file_permissions_mode": 0o600, "directory_permissions_mode": 0o700}},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# E-mail: files under var/mail in embedded mode, SMTP when SMTP_HOST is set.
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Yongxu Shop <shop@localhost>")
MERCHANT_EMAILS = env_list("YONGXU_MERCHANT_EMAILS", "merchant@localhost")
SMTP_HOST = env_str("SMTP_HOST")
if SMTP_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = SMTP_HOST
    EMAIL_PORT = env_int("SMTP_PORT", 587)
    EMAIL_HOST_USER = env_str("SMTP_USER")
    EMAIL_HOST_PASSWORD = env_str("SMTP_PASSWORD")
    EMAIL_USE_TLS = env_bool("SMTP_TLS", EMAIL_PORT == 587)
    EMAIL_USE_SSL = env_bool("SMTP_SSL", EMAIL_PORT == 465)
    EMAIL_TIMEOUT = env_int("SMTP_TIMEOUT", 15)
else:
    EMAIL_BACKEND = "yongxu.shop.mailfiles.PrivateFileEmailBackend"  # 0600 files: they hold card keys
    EMAIL_FILE_PATH = VAR_DIR / "mail"

# The shop's own rules.
YONGXU_ORDER_TIMEOUT_MINUTES = env_int("YONGXU_ORDER_TIMEOUT_MINUTES", 15, minimum=1)
YONGXU_RECONCILE_AFTER_MINUTES = env_int("YONGXU_RECONCILE_AFTER_MINUTES", 3, minimum=0)
YONGXU_RECONCILE_EXPIRED_HOURS = env_int("YONGXU_RECONCILE_EXPIRED_HOURS", 24, minimum=0)
YONGXU_LOOKUP_ATTEMPTS = env_int("YONGXU_LOOKUP_ATTEMPTS", 10, minimum=1)
YONGXU_LOOKUP_WINDOW_SECONDS = env_int("YONGXU_LOOKUP_WINDOW_SECONDS", 600, minimum=1)
YONGXU_KEY_UPLOAD_MAX_BYTES = env_int("YONGXU_KEY_UPLOAD_MAX_BYTES", 2 * 1024 * 1024, minimum=1024)
YONGXU_SUPPORT_ATTACHMENT_MAX_BYTES = env_int("YONGXU_SUPPORT_ATTACHMENT_MAX_BYTES", 2 * 1024 * 1024, minimum=1024)
# The body a request may carry; only the upload routes (key import, support attachments) take more.
YONGXU_MAX_BODY_BYTES = env_int("YONGXU_MAX_BODY_BYTES", 64 * 1024, minimum=1024)
YONGXU_SUPPORT_OPEN_ATTEMPTS = env_int("YONGXU_SUPPORT_OPEN_ATTEMPTS", 5, minimum=1)  # tickets opened per client
YONGXU_SUPPORT_WINDOW_SECONDS = env_int("YONGXU_SUPPORT_WINDOW_SECONDS", 3600, minimum=1)
YONGXU_DEFAULT_CURRENCY = env_str("YONGXU_DEFAULT_CURRENCY", "CNY")
# The outbox: a claim older than this is a dead worker's (retried, or "maybe sent" if it was handed over);
# the worker's dispatcher looks for due effects this often.
YONGXU_OUTBOX_STALE_SECONDS = env_int("YONGXU_OUTBOX_STALE_SECONDS", 300, minimum=30)
YONGXU_OUTBOX_POLL_SECONDS = env_int("YONGXU_OUTBOX_POLL_SECONDS", 1, minimum=1)
# Merchant alerts: a repeat of the same cause within this window counts instead of adding a row, and each
# kind is e-mailed at most once at once per window (the rest in one digest at its end).
YONGXU_ALERT_COALESCE_MINUTES = env_int("YONGXU_ALERT_COALESCE_MINUTES", 15, minimum=1)
YONGXU_WORKER_STALE_SECONDS = env_int("YONGXU_WORKER_STALE_SECONDS", 180, minimum=10)
DATA_UPLOAD_MAX_MEMORY_SIZE = YONGXU_KEY_UPLOAD_MAX_BYTES + 64 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = YONGXU_KEY_UPLOAD_MAX_BYTES + 64 * 1024

# Payment gateways. The demo's Epay gateway is the built-in simulator at /simulator/.
YONGXU_SIMULATOR = env_bool("YONGXU_SIMULATOR", not PRODUCTION)
# In production Epay is on only once configured (or asked for, and then refused until it is).
EPAY_ENABLED = env_bool("EPAY_ENABLED", not PRODUCTION or bool(env_str("EPAY_KEY")))
EPAY_PID = env_str("EPAY_PID", "1000")
EPAY_KEY = env_str("EPAY_KEY") or ("" if PRODUCTION else embedded_secret(
    VAR_DIR, "epay_key", lambda: __import__("secrets").token_hex(16)))
EPAY_GATEWAY_URL = env_str("EPAY_GATEWAY_URL", f"{SITE_URL}/simulator/")
# Demo mode without a real Alipay account: the "alipay" provider talks to the simulator, with two key pairs
# generated once under var/secrets/ (the merchant's app key and the simulator's own "Alipay" key).
ALIPAY_SIMULATED = YONGXU_SIMULATOR and not (env_str("ALIPAY_APP_ID") or env_str("ALIPAY_PRIVATE_KEY"))
ALIPAY_SIMULATOR_PRIVATE_KEY = ""
_alipay_simulated = {}
if ALIPAY_SIMULATED:
    from yongxu.payments.simulator.demo_keys import new_private_pem, public_pem
    ALIPAY_SIMULATOR_PRIVATE_KEY = embedded_secret(VAR_DIR, "alipay_simulator_private_key", new_private_pem)
    _alipay_simulated = {"enabled": True, "simulated": True, "app_id": "2021000000000000",
                         "private_key": embedded_secret(VAR_DIR, "alipay_app_private_key", new_private_pem),
                         "alipay_public_key": public_pem(ALIPAY_SIMULATOR_PRIVATE_KEY),
                         "gateway_url": f"{SITE_URL}/simulator/alipay/gateway.do", "label": "支付宝 Alipay (simulated)"}
# Likewise USDT (epusdt) and WeChat Pay Native v3 without real credentials: the simulator plays the gateway,
# with an API token, two RSA key pairs and an API v3 key generated once under var/secrets/.
EPUSDT_SIMULATED = YONGXU_SIMULATOR and not (env_str("EPUSDT_API_BASE") or env_str("EPUSDT_SECRET"))
_epusdt_simulated = {}
if EPUSDT_SIMULATED:
    _epusdt_simulated = {"enabled": True, "simulated": True, "pid": "1000",
                         "secret": embedded_secret(VAR_DIR, "epusdt_simulator_secret",
                                                   lambda: __import__("secrets").token_hex(16)),
                         "api_base": f"{SITE_URL}/simulator/epusdt", "label": "USDT (TRC20, simulated)"}
WECHAT_SIMULATED = YONGXU_SIMULATOR and not (env_str("WECHAT_MCHID") or env_str("WECHAT_PRIVATE_KEY"))
WECHAT_SIMULATOR_PRIVATE_KEY = ""
_wechat_simulated = {}
if WECHAT_SIMULATED:
    from yongxu.payments.simulator.demo_keys import new_private_pem, public_pem
    WECHAT_SIMULATOR_PRIVATE_KEY = embedded_secret(VAR_DIR, "wechat_simulator_platform_private_key", new_private_pem)
    _wechat_simulated = {"enabled": True, "simulated": True, "mchid": "1900000000", "appid": "wx00000000simulator",
                         "private_key": embedded_secret(VAR_DIR, "wechat_merchant_private_key", new_private_pem),
                         "cert_serial": "51D0000000000000000000000000000000000000",
                         "apiv3_key": embedded_secret(VAR_DIR, "wechat_apiv3_key",
                                                      lambda: __import__("secrets").token_hex(16)),
                         "platform_public_key": public_pem(WECHAT_SIMULATOR_PRIVATE_KEY),
                         "platform_serial": "PUB_KEY_ID_SIMULATOR", "api_base": f"{SITE_URL}/simulator/wechat",
                         "label": "微信支付 WeChat Pay (simulated)"}
# PayPal without a real account: OAuth client, webhook id and the simulator's webhook-signing key with its
# self-signed certificate, generated once under var/secrets/; certificates are then fetched only from the simulator.
PAYPAL_SIMULATED = YONGXU_SIMULATOR and not (env_str("PAYPAL_CLIENT_ID") or env_str("PAYPAL_SECRET"))
PAYPAL_SIMULATOR_PRIVATE_KEY = PAYPAL_SIMULATOR_CERTIFICATE = ""
_paypal_simulated = {}
if PAYPAL_SIMULATED:
    from yongxu.payments.simulator.demo_keys import new_private_pem, self_signed_certificate_pem
    PAYPAL_SIMULATOR_PRIVATE_KEY = embedded_secret(VAR_DIR, "paypal_simulator_webhook_private_key", new_private_pem)
    PAYPAL_SIMULATOR_CERTIFICATE = embedded_secret(
        VAR_DIR, "paypal_simulator_webhook_certificate",
        lambda: self_signed_certificate_pem(PAYPAL_SIMULATOR_PRIVATE_KEY, "messageverificationcerts.paypal.com"))
    _paypal_simulated = {"enabled": True, "simulated": True, "client_id": "ASimulatorClientId",
                         "secret": embedded_secret(VAR_DIR, "paypal_simulator_secret",
                                                   lambda: __import__("secrets").token_hex(16)),
                         "webhook_id": "WH-SIMULATOR-0000000000000000", "api_base": f"{SITE_URL}/simulator/paypal",
                         "cert_url_prefixes": [f"{SITE_URL}/simulator/paypal/"], "label": "PayPal (simulated)"}
STRIPE_SECRET_KEY = env_str("STRIPE_SECRET_KEY")
STRIPE_WEBHOOK_SECRET = env_str("STRIPE_WEBHOOK_SECRET")
STRIPE_API_BASE = env_str("STRIPE_API_BASE", "https://api.stripe.com")
STRIPE_TOLERANCE_SECONDS = env_int("STRIPE_TOLERANCE_SECONDS", 300, minimum=1)
# Gateway callbacks: how much of one is stored (real ones are a few hundred bytes), and how long refused or
# ignored ones are kept.
YONGXU_NOTIFY_STORE_BYTES = env_int("YONGXU_NOTIFY_STORE_BYTES", 16384, minimum=1024)
YONGXU_NOTIFY_SPOOL_DIR = env_str("YONGXU_NOTIFY_SPOOL_DIR")  # callbacks kept while the database is away (var/spool/notify)
YONGXU_NOTIFY_RETENTION_DAYS = env_int("YONGXU_NOTIFY_RETENTION_DAYS", 30, minimum=1)
PAYMENT_HTTP_TIMEOUT = env_int("PAYMENT_HTTP_TIMEOUT", 10, minimum=1)
YONGXU_PAYMENT_PROVIDERS = {
    "epay": {"class": "yongxu.payments.providers.epay.EpayProvider", "enabled": EPAY_ENABLED,
             "pid": EPAY_PID, "key": EPAY_KEY, "gateway_url": EPAY_GATEWAY_URL,
             "label": env_str("EPAY_LABEL", "Alipay / WeChat (Epay)")},
    "stripe": {"class": "yongxu.payments.providers.stripe.StripeProvider",
               "enabled": bool(STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET),
               "secret_key": STRIPE_SECRET_KEY, "webhook_secret": STRIPE_WEBHOOK_SECRET,
               "api_base": STRIPE_API_BASE, "tolerance": STRIPE_TOLERANCE_SECONDS, "label": "Card (Stripe)"},
    # Alipay 当面付, WeChat Pay Native, USDT (epusdt), PayPal: each on only once its credentials are set.
    # Keys: PEM text, a PEM file's path, or the console's bare base64 (also as NAME_FILE).
    "alipay": {"class": "yongxu.payments.providers.alipay.AlipayProvider",
               "enabled": bool(env_str("ALIPAY_APP_ID") and env_str("ALIPAY_PRIVATE_KEY") and env_str("ALIPAY_PUBLIC_KEY")),
               "app_id": env_str("ALIPAY_APP_ID"), "private_key": env_str("ALIPAY_PRIVATE_KEY"),
               "alipay_public_key": env_str("ALIPAY_PUBLIC_KEY"), "seller_id": env_str("ALIPAY_SELLER_ID"),
               "gateway_url": env_str("ALIPAY_GATEWAY_URL", "https://openapi.alipay.com/gateway.do"), **_alipay_simulated},
    "wechat": {"class": "yongxu.payments.providers.wechat.WechatProvider",
               "enabled": bool(env_str("WECHAT_MCHID") and env_str("WECHAT_PRIVATE_KEY") and env_str("WECHAT_APIV3_KEY")
                               and env_str("WECHAT_PLATFORM_PUBLIC_KEY")),
               "mchid": env_str("WECHAT_MCHID"), "appid": env_str("WECHAT_APPID"),
               "private_key": env_str("WECHAT_PRIVATE_KEY"), "cert_serial": env_str("WECHAT_CERT_SERIAL"),
               "apiv3_key": env_str("WECHAT_APIV3_KEY"), "platform_public_key": env_str("WECHAT_PLATFORM_PUBLIC_KEY"),
               "platform_serial": env_str("WECHAT_PLATFORM_SERIAL"), "tolerance": 300,
               "api_base": env_str("WECHAT_API_BASE", "https://api.mch.weixin.qq.com"), **_wechat_simulated},
    "epusdt": {"class": "yongxu.payments.providers.epusdt.EpusdtProvider",
               "enabled": bool(env_str("EPUSDT_API_BASE") and env_str("EPUSDT_SECRET")),
               "api_base": env_str("EPUSDT_API_BASE"), "pid": env_str("EPUSDT_PID", "1000"),
               "secret": env_str("EPUSDT_SECRET"), "currency": env_str("EPUSDT_CURRENCY", "CNY"),
               "token": "usdt", "network": "tron", **_epusdt_simulated},
    "paypal": {"class": "yongxu.payments.providers.paypal.PayPalProvider",
               "enabled": bool(env_str("PAYPAL_CLIENT_ID") and env_str("PAYPAL_SECRET") and env_str("PAYPAL_WEBHOOK_ID")),
               "client_id": env_str("PAYPAL_CLIENT_ID"), "secret": env_str("PAYPAL_SECRET"),
               "webhook_id": env_str("PAYPAL_WEBHOOK_ID"), "api_base": env_str("PAYPAL_API_BASE", "https://api-m.paypal.com"),
               # Webhook certificates are fetched only from URLs under these (PayPal's own hosts).
               "cert_url_prefixes": env_list("PAYPAL_CERT_URL_PREFIXES", "https://api.paypal.com/,https://api-m.paypal.com/,"
                                             "https://api.sandbox.paypal.com/,https://api-m.sandbox.paypal.com/"),
               **_paypal_simulated},
}
YONGXU_MAX_ORDER_AMOUNT = env_decimal("YONGXU_MAX_ORDER_AMOUNT", "100000")

if PRODUCTION:
    refuse_unsafe_production(
        missing=[name for name in REQUIRED_IN_PRODUCTION if not env_str(name)], debug=DEBUG,
        simulator=YONGXU_SIMULATOR, site_url=SITE_URL, key_encryption_key=KEY_ENCRYPTION_KEY,
        providers=YONGXU_PAYMENT_PROVIDERS, epay_unset=[name for name in ("EPAY_PID", "EPAY_KEY", "EPAY_GATEWAY_URL")
                                                        if not env_str(name)],
        secrets_dir=VAR_DIR / "secrets")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Every line is redacted (yongxu.core.redact): django.request names the path of each 4xx/5xx, and a path
    # may be an order's or a ticket's secret link.
    "filters": {"redact": {"()": "yongxu.core.redact.RedactFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING" if TESTING else "INFO")},
    # The Huey consumer prints through its own handler; do not print every line twice.
    "loggers": {"huey": {"propagate": False}},
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = PRODUCTION
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY", False) else None
# HSTS: SecurityMiddleware sends it on HTTPS requests only (behind nginx, BEHIND_PROXY=1 tells it which those
# are), so the demo on http://127.0.0.1 is unaffected.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if PRODUCTION else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
# Sent on every response by yongxu.core.csp (which adds frame-ancestors). No inline script and no eval anywhere:
# our scripts are files under yongxu/static/. Inline styles stay allowed, because the maintenance page carries
# its CSS inline (nginx serves it with the app down), every page sets the shop's brand colours in a <style>,
# and htmx and the admin set style attributes; a style runs no code. No form-action: a payment form's
# answer redirects to the gateway (Stripe Checkout, PayPal, Epay), whose host is the gateway's.
YONGXU_CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data: https:",  # the shop's logo may be an https URL elsewhere
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
}
YONGXU_SHOP_NAME = env_str("YONGXU_SHOP_NAME", "Yongxu 永续 Shop")
YONGXU_SUPPORT_CONTACTS = env_list("YONGXU_SUPPORT_CONTACTS", "support@localhost")
# Maintenance bypass: CIDRs let in during maintenance; proxies whose X-Forwarded-For is believed.
YONGXU_MAINTENANCE_ALLOW_IPS = env_list("YONGXU_MAINTENANCE_ALLOW_IPS")
YONGXU_TRUSTED_PROXIES = env_list("YONGXU_TRUSTED_PROXIES")
YONGXU_BYPASS_HOURS = env_int("YONGXU_BYPASS_HOURS", 12, minimum=1)
YONGXU_BANNER_LEAD_HOURS = env_int("YONGXU_BANNER_LEAD_HOURS", 72, minimum=0)
YONGXU_OPERATOR_TOKEN = env_str("YONGXU_OPERATOR_TOKEN")
# Buyer accounts: sign-in failures allowed per account and per client in a window, then a cool-down.
LOGIN_URL = "/account/login/"
YONGXU_SIGNIN_FAILURES = env_int("YONGXU_SIGNIN_FAILURES", 5, minimum=1)
YONGXU_SIGNIN_CLIENT_FAILURES = env_int("YONGXU_SIGNIN_CLIENT_FAILURES", 20, minimum=1)
YONGXU_SIGNIN_WINDOW_MINUTES = env_int("YONGXU_SIGNIN_WINDOW_MINUTES", 15, minimum=1)
# ...and across every client: that many failures on one account within the hours locks it until the
# owner follows the link e-mailed to the account (or resets the password).
YONGXU_SIGNIN_ACCOUNT_FAILURES = env_int("YONGXU_SIGNIN_ACCOUNT_FAILURES", 100, minimum=1)
YONGXU_SIGNIN_ACCOUNT_WINDOW_HOURS = env_int("YONGXU_SIGNIN_ACCOUNT_WINDOW_HOURS", 24, minimum=1)
# Order creation: per client (address) and per e-mail within the window; past the client's limit each
# order needs a proof of work (YONGXU_POW_BITS leading zero bits of SHA-256, about 2**bits hashes).
# Unpaid orders per client are capped outright, so nobody can hold a product's stock.
YONGXU_ORDER_LIMIT_WINDOW_SECONDS = env_int("YONGXU_ORDER_LIMIT_WINDOW_SECONDS", 3600, minimum=1)
YONGXU_ORDERS_PER_CLIENT = env_int("YONGXU_ORDERS_PER_CLIENT", 10, minimum=1)
YONGXU_ORDERS_PER_EMAIL = env_int("YONGXU_ORDERS_PER_EMAIL", 10, minimum=1)
YONGXU_UNPAID_ORDERS_PER_CLIENT = env_int("YONGXU_UNPAID_ORDERS_PER_CLIENT", 3, minimum=1)
YONGXU_POW_BITS = env_int("YONGXU_POW_BITS", 15, minimum=1)
YONGXU_POW_TTL_SECONDS = env_int("YONGXU_POW_TTL_SECONDS", 300, minimum=30)
# Planned windows: how far the ETA moves when a window reaches it unfinished; who hears of each update.
YONGXU_WINDOW_LATE_STEP_MINUTES = env_int("YONGXU_WINDOW_LATE_STEP_MINUTES", 30, minimum=1)
YONGXU_WINDOW_UPDATE_HANDLERS: list[str] = ["yongxu.notices.live.on_window_update"]
# Notices: advance e-mails at these hours before a window to buyers who ordered within N days, sent in
# the background at most N a minute; a claim older than N minutes that never reached the mail server is retried.
YONGXU_NOTICE_POINTS_HOURS = [int(hours) for hours in env_list("YONGXU_NOTICE_POINTS_HOURS", "72,24")]
YONGXU_NOTICE_RECENT_DAYS = env_int("YONGXU_NOTICE_RECENT_DAYS", 90, minimum=1)
YONGXU_NOTICE_RATE_PER_MINUTE = env_int("YONGXU_NOTICE_RATE_PER_MINUTE", 60, minimum=1)
YONGXU_NOTICE_ZONES = {"zh-hans": "Asia/Shanghai"}  # a language's usual time zone, when a buyer's own is unknown
YONGXU_WEBHOOK_TIMEOUT = env_int("YONGXU_WEBHOOK_TIMEOUT", 10, minimum=1)
YONGXU_WEBHOOK_ALLOW_PRIVATE = env_bool("YONGXU_WEBHOOK_ALLOW_PRIVATE", False)  # status-page webhooks to private hosts

# Files that hold keys or secrets are the owner's only (yongxu.core.files); SQLite gives its -wal and -shm
# files the database file's mode. var/maintenance/ and var/static/ stay readable: nginx serves them.
for _name in (DATABASES["default"]["NAME"] if DATABASES["default"]["ENGINE"].endswith("sqlite3") else "",
              HUEY.get("filename", "")):
    if _name and str(_name) != ":memory:" and not str(_name).startswith("file:") and Path(_name).parent.is_dir():
        private_file(Path(_name))
private_dir(MEDIA_ROOT)
