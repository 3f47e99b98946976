"""The seam between closure sources and pages: every buyer page, rendered under a closure of every
registered source (on now and to come, and in full maintenance), answers without a server error; a
page that full maintenance closes answers with the maintenance page. Rows whose source was never
registered (the advisor's old bare ``window:advisor``) render too."""

from datetime import timedelta

import pytest

from yongxu.core import clock
from yongxu.maintenance import page, services, sources, windows
from yongxu.maintenance.models import Closure
from yongxu.maintenance.snapshot import current_state
from yongxu.maintenance.tests.conftest import OPERATOR
from yongxu.orders.services import place_order

pytestmark = pytest.mark.django_db

# The detail each registered kind is tried with (a window is a real planned window).
DETAILS = {"manual": "", "window": None, "breaker": "payment:epay", "protection": "key-vault", "release": "v2.3.1",
           "waitroom": ""}
UNREGISTERED = ["window:advisor", "window", "supplier:acme"]
PAGES = ["/", "/p/{slug}/", "/p/{slug}/buy/", "/o/{token}/", "/lookup/", "/support/", "/status/", "/status/live/",
         "/status.json", "/status/feed.atom", "/status/calendar.ics", "/account/login/", "/account/signup/",
         "/account/password-reset/", "/account/orders/"]
CASES = [("modules", "on"), ("modules", "ahead"), ("full", "on")]


def test_every_registered_kind_is_tried():
    assert set(DETAILS) == {source.kind for source in sources.registered()}


def close(kind: str, level: str, when: str):
    starts = clock.now() + (timedelta(hours=2) if when == "ahead" else timedelta(0))
    modules = ["payment:epay"] if level == "modules" else []
    if kind == "window":
        window = windows.schedule_window(title="Key store upgrade", start=starts, end=starts + timedelta(hours=1),
                                         level=level, modules=modules, actor=OPERATOR)
        if when == "on":
            windows.start_window(window, actor=OPERATOR)
        return
    services.close_capabilities(modules, source=sources.compose(kind, DETAILS[kind]), reason="internal", until=None,
                                actor=OPERATOR, level=level, starts_at=starts)


def store(source: str, level: str, when: str):
    """A row written before its source had to be registered."""
    starts = clock.now() + (timedelta(hours=2) if when == "ahead" else timedelta(0))
    Closure.objects.create(source=source, level=level, capabilities=["payment:epay"] if level == "modules" else [],
                           starts_at=starts, ends_at=starts + timedelta(hours=1), created_by="old advisor")


def answers(client, product, order, level: str) -> dict[str, int]:
    statuses = {}
    for pattern in PAGES:
        path = pattern.format(slug=product.slug, token=order.token)
        response = client.get(path)
        statuses[path] = response.status_code
        if response.status_code == 503:
            assert level == "full" and "We are doing some maintenance" in response.content.decode(), path
        if path == "/":
            for link in ("/status/feedback/",):
                if link in response.content.decode():
                    feedback = response.content.decode().split(f'href="{link}', 1)[1].split('"', 1)[0]
                    statuses[link] = client.get(link + feedback).status_code
    for language in ("en", "zh-hans"):
        assert "<h1>" in page.render(current_state(), language)
    return statuses


@pytest.fixture
def order(product, buyer_email):
    return place_order(product, quantity=1, email=buyer_email)


@pytest.mark.parametrize(("level", "when"), CASES)
@pytest.mark.parametrize("kind", sorted(DETAILS))
def test_a_registered_source(client, product, order, kind, level, when):
    close(kind, level, when)

    statuses = answers(client, product, order, level)

    assert [path for path, status in statuses.items() if status >= 500 and status != 503] == []
    assert statuses["/status/"] == statuses["/status.json"] == statuses["/status/feed.atom"] == 200


@pytest.mark.parametrize(("level", "when"), CASES)
@pytest.mark.parametrize("source", UNREGISTERED)
def test_a_row_of_an_unregistered_source(client, product, order, source, level, when):
    store(source, level, when)

    statuses = answers(client, product, order, level)

    assert [path for path, status in statuses.items() if status >= 500 and status != 503] == []
    assert statuses["/status/"] == statuses["/status.json"] == statuses["/status/feed.atom"] == 200
