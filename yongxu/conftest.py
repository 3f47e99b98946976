"""Shared personas and small factories. Everything of ours runs for real; only the outside world
(gateways' HTTP servers, SMTP) is stood in for, by real servers on loopback."""

import contextlib
import itertools
import os
import uuid
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.cache import cache

from yongxu.catalog.models import Category, DeliveryMode, Product
from yongxu.inventory import crypto
from yongxu.inventory.services import import_keys

_serial = itertools.count(1)


def on_postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def pytest_collection_modifyitems(config, items):
    reasons = {
        "postgres": None if on_postgres() else "needs PostgreSQL: set DATABASE_URL=postgres://… to run it",
        "redis": None if os.environ.get("REDIS_URL") else "needs Redis: set REDIS_URL=redis://… to run it",
    }
    for item in items:
        for marker, reason in reasons.items():
            if reason and item.get_closest_marker(marker):
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(autouse=True)
def isolated_cache(settings):
    """Each test starts with an empty cache. On Redis, shared by parallel workers and runs, a unique
    key prefix isolates the test instead of flushing everybody's keys."""
    if os.environ.get("REDIS_URL"):
        settings.CACHES = {"default": {**settings.CACHES["default"], "KEY_PREFIX": f"yx-test-{uuid.uuid4().hex}"}}
        yield
    else:
        cache.clear()
        yield
        cache.clear()


@pytest.fixture(autouse=True)
def empty_callback_spool(monkeypatch, tmp_path):
    """Each test keeps the callbacks that came "while the database was away" in a folder of its own, so none
    is replayed into another test (parallel workers share the suite's var/). Set without Django's
    setting_changed signal, which would touch the database in tests that have none."""
    monkeypatch.setattr(settings, "YONGXU_NOTIFY_SPOOL_DIR", str(tmp_path / "spool"))


@pytest.fixture(autouse=True)
def fresh_gate():
    """The gate's snapshot is process-wide; a test's rolled-back closures must not leak into the next."""
    from yongxu.maintenance.snapshot import gatekeeper

    gatekeeper.invalidate()
    yield
    gatekeeper.invalidate()


@pytest.fixture
def live_shop(live_server, settings, monkeypatch) -> str:
    """The shop served over real HTTP, with the demo gateway simulator on the same server, so a buyer
    (a browser, or threads) can pay end to end. Returns the base URL."""
    # Playwright's sync API runs an event loop in the test's thread; the ORM calls there are plain sync code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.SITE_URL = live_server.url
    settings.EPAY_GATEWAY_URL = f"{live_server.url}/simulator/"
    settings.YONGXU_PAYMENT_PROVIDERS = {**settings.YONGXU_PAYMENT_PROVIDERS, "epay": {
        **settings.YONGXU_PAYMENT_PROVIDERS["epay"], "gateway_url": settings.EPAY_GATEWAY_URL}}
    return live_server.url


def make_category(**fields) -> Category:
    n = next(_serial)
    return Category.objects.create(**{"name": f"Category {n}", "slug": f"category-{n}", **fields})


def make_product(*, keys: int = 0, category: Category | None = None, reusable_key: str = "", **fields) -> Product:
    """A visible auto-delivery CNY product; ``keys`` generated keys are imported into its stock."""
    n = next(_serial)
    product = Product.objects.create(**{
        "category": category or make_category(), "name": f"Product {n}", "slug": f"product-{n}",
        "price": Decimal("9.99"), "currency": "CNY", "min_quantity": 1, "max_quantity": 10,
        "delivery_mode": DeliveryMode.AUTO, "low_stock_threshold": 0,
        "reusable_key_encrypted": crypto.encrypt(reusable_key) if reusable_key else "", **fields})
    if keys:
        import_keys(product, [f"KEY-{product.pk}-{i:05d}" for i in range(keys)], actor="test:setup")
    return product


@pytest.fixture
def product(db) -> Product:
    return make_product(keys=5)


@pytest.fixture
def buyer_email() -> str:
    return "buyer@example.com"


def _staff(django_user_model, username: str, perms: list[str], *, superuser: bool = False):
    user = django_user_model.objects.create_user(username=username, password="pw-" + username, is_staff=True,
                                                 is_superuser=superuser, email=f"{username}@example.com")
    for perm in perms:
        app_label, codename = perm.split(".")
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return user


@pytest.fixture
def merchant(db, django_user_model):
    """Staff who runs the shop: catalogue, keys (import, reveal, export), orders, payments."""
    return _staff(django_user_model, "merchant", [
        "catalog.view_product", "catalog.change_product", "inventory.view_cardkey", "inventory.add_cardkey",
        "inventory.reveal_cardkey", "inventory.export_cardkey", "orders.view_order", "orders.change_order",
        "payments.view_payment", "payments.add_payment"])


@pytest.fixture
def clerk(db, django_user_model):
    """Staff who may see orders and keys, but not reveal or export keys, nor confirm payments."""
    return _staff(django_user_model, "clerk", ["orders.view_order", "inventory.view_cardkey"])


@pytest.fixture
def operator(db, django_user_model):
    return _staff(django_user_model, "operator", [], superuser=True)


@pytest.fixture
def outsider(db, django_user_model):
    return django_user_model.objects.create_user(username="outsider", password="pw-outsider")


def mails(outbox, template: str) -> list:
    """The messages in ``outbox`` made from one e-mail template (``orders/email/delivered``…)."""
    return [message for message in outbox if message.extra_headers.get("X-Yongxu-Template") == template]


@pytest.fixture
def mail_server(settings):
    """The mail server, scripted (yongxu.outbox.tests.mailserver): append what it does on each next send."""
    from yongxu.outbox.tests import mailserver

    settings.EMAIL_BACKEND = "yongxu.outbox.tests.mailserver.ScriptedBackend"
    mailserver.SCRIPT.clear()
    yield mailserver.SCRIPT
    mailserver.SCRIPT.clear()


def free_port() -> int:
    """A free TCP port on 127.0.0.1, for a server of the test's own."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def smtp_server(settings, handler):
    """A real SMTP server (aiosmtpd) on loopback, answering with ``handler``, and the shop sending to it."""
    from aiosmtpd.controller import Controller

    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 10
    try:
        yield handler
    finally:
        controller.stop()


class OwnRedis:
    """A redis-server of the test's own on a free loopback port, so it can be stopped, hung and started
    again (the machine's own Redis is never touched)."""

    def __init__(self, folder):
        import shutil

        self.binary = shutil.which("redis-server")
        self.port = free_port()
        self.folder, self.process = folder, None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        import subprocess
        import time

        import redis

        self.process = subprocess.Popen([self.binary, "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
                                         "--appendonly", "no", "--dir", str(self.folder)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.2)
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(5)
            self.process = None

    def client(self):
        import redis

        return redis.Redis.from_url(self.url)

    def hang(self) -> None:
        import signal

        self.process.send_signal(signal.SIGSTOP)  # still accepts connections; never answers

    def resume(self) -> None:
        import signal

        self.process.send_signal(signal.SIGCONT)


@pytest.fixture
def own_redis(tmp_path):
    import shutil

    if not shutil.which("redis-server"):
        pytest.skip("needs redis-server (Debian's redis-server package)")
    server = OwnRedis(tmp_path)
    server.start()
    yield server
    if server.process is not None:
        server.resume()
        server.stop()


@contextlib.contextmanager
def database_down():
    """The database server is away: every query on this thread's connection fails as a lost connection
    does (Django's execute_wrapper is the seam between us and the database server)."""
    from django.db import OperationalError, connection

    def refuse(execute, sql, params, many, context):
        raise OperationalError("server closed the connection unexpectedly")

    with connection.execute_wrapper(refuse):
        yield
