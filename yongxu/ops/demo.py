"""The demo shop: realistic categories and products with a few hundred generated keys. Idempotent."""

import random
import secrets
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from yongxu.catalog.models import Category, DeliveryMode, Product
from yongxu.inventory import crypto
from yongxu.inventory.services import import_keys

CATEGORIES = [
    ("game-cards", "游戏点卡 Game cards", 1),
    ("software", "软件激活码 Software licences", 2),
    ("gift-cards", "礼品卡 Gift cards", 3),
    ("services", "代充服务 Top-up services", 4),
]

# slug, category, name, price, min, max, per-email limit, mode, key count, key shape, description
PRODUCTS = [
    ("steam-wallet-50", "game-cards", "Steam 钱包充值卡 50 元", "50.00", 1, 5, 0, "auto", 80, "steam",
     "Steam wallet code worth 50 CNY. Redeem at store.steampowered.com/account/redeemwalletcode."),
    ("genshin-648", "game-cards", "原神 创世结晶 6480", "648.00", 1, 2, 4, "auto", 30, "card_pass",
     "Genesis Crystals recharge card: card number and password, redeem in the official recharge centre."),
    ("psn-hk-100", "game-cards", "PSN 港服 100 HKD", "92.00", 1, 3, 0, "auto", 40, "psn",
     "PlayStation Network Hong Kong store card."),
    ("windows-11-pro", "software", "Windows 11 Pro 零售密钥", "129.00", 1, 3, 3, "auto", 60, "windows",
     "Retail licence key, one activation. Activate under Settings → System → Activation."),
    ("jetbrains-all", "software", "JetBrains All Products 1 年", "399.00", 1, 1, 1, "auto", 12, "license",
     "One-year licence code for all JetBrains IDEs."),
    ("office-installer", "software", "Office 2021 安装包下载", "1.00", 1, 1, 0, "reusable", 0, "",
     "A download link and installation guide, the same for every buyer (循环卡密)."),
    ("apple-gift-100", "gift-cards", "Apple 礼品卡 100 元", "100.00", 1, 10, 0, "auto", 70, "apple",
     "App Store & iTunes gift card, mainland China."),
    ("jd-eca-200", "gift-cards", "京东 E 卡 200 元", "198.00", 1, 5, 0, "auto", 3, "card_pass",
     "JD.com electronic gift card. Almost sold out, to show the low-stock badge."),
    ("chatgpt-topup", "services", "ChatGPT Plus 代充 1 个月", "168.00", 1, 1, 0, "manual", 0, "",
     "The merchant tops up your account by hand within 2 hours. Leave your account e-mail in the order e-mail."),
]


def _key(shape: str, rng: random.Random) -> str:
    def block(n: int, alphabet: str = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789") -> str:
        return "".join(rng.choice(alphabet) for _ in range(n))

    return {
        "steam": lambda: f"{block(5)}-{block(5)}-{block(5)}",
        "card_pass": lambda: f"{block(16, '0123456789')} {block(10, '0123456789')}",
        "psn": lambda: f"{block(4)}-{block(4)}-{block(4)}",
        "windows": lambda: "-".join(block(5) for _ in range(5)),
        "license": lambda: f"JB-{block(10)}-{block(10)}",
        "apple": lambda: f"X{block(15)}",
    }[shape]()


@transaction.atomic
def load_demo_shop(*, seed: int = 2026) -> dict:
    rng = random.Random(seed)
    categories = {slug: Category.objects.get_or_create(slug=slug, defaults={"name": name, "sort_order": order})[0]
                  for slug, name, order in CATEGORIES}
    created_keys = 0
    for index, (slug, cat, name, price, lo, hi, limit, mode, keys, shape, desc) in enumerate(PRODUCTS):
        product, created = Product.objects.get_or_create(slug=slug, defaults={
            "category": categories[cat], "name": name, "price": Decimal(price), "currency": "CNY",
            "min_quantity": lo, "max_quantity": hi, "per_email_limit": limit, "sort_order": index,
            "delivery_mode": DeliveryMode.MANUAL if mode == "manual" else DeliveryMode.AUTO,
            "description": desc, "low_stock_threshold": 5,
            "reusable_key_encrypted": crypto.encrypt(
                "https://download.example.com/office2021.zip  提取码 yx26  (installation guide inside)")
            if mode == "reusable" else ""})
        if created and keys:
            lines = [_key(shape, rng) for _ in range(keys)]
            created_keys += import_keys(product, lines, actor="system:demo").added
    return {"products": Product.objects.count(), "keys_added": created_keys}


def ensure_admin(password_source) -> tuple[str, str]:
    """The demo's admin user: ``admin`` with a password generated once and kept under var/."""
    password = password_source()
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(username="admin", defaults={
        "email": "admin@localhost", "is_staff": True, "is_superuser": True})
    if created or not user.check_password(password):
        user.set_password(password)
        user.save()
    return "admin", password


def new_password() -> str:
    return secrets.token_urlsafe(12)
