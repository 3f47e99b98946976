"""Who may pass during maintenance: the holder of the secret link's cookie (signed, expiring, bound
to this maintenance and its current secret), an allowlisted address (X-Forwarded-For believed only
from a trusted proxy), staff with maintenance.bypass. Each sees a banner saying so."""

from datetime import timedelta

import pytest
from django.core import signing

from yongxu.maintenance import bypass, services
from yongxu.maintenance.tests.conftest import OPERATOR, secret_of, switch_off, switch_on

pytestmark = pytest.mark.django_db

BYPASS_BANNER = "You are viewing the shop during maintenance (bypass)"


@pytest.fixture
def closure(frozen):
    return switch_on("full", public_reason="Upgrade", secret="")


def visit_link(client, closure, **extra):
    return client.get(f"/maintenance/bypass/{secret_of(closure)}/", **extra)


def test_the_secret_link_sets_an_httponly_lax_expiring_cookie(client, closure, settings):
    response = visit_link(client, closure)

    cookie = response.cookies[bypass.COOKIE]
    assert (response.status_code, response["Location"]) == (302, "/")
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["max-age"] == settings.YONGXU_BYPASS_HOURS * 3600 == 12 * 3600
    assert cookie["secure"] == ""


def test_over_https_the_cookie_is_secure(client, closure):
    response = visit_link(client, closure, secure=True)

    assert response.cookies[bypass.COOKIE]["secure"] is True


def test_the_cookie_lets_its_holder_through_with_a_banner(client, closure):
    assert client.get("/").status_code == 503
    visit_link(client, closure)

    response = client.get("/")

    assert response.status_code == 200
    assert BYPASS_BANNER in response.content.decode()


def test_an_unknown_secret_is_not_found(client, closure):
    response = client.get("/maintenance/bypass/not-the-secret/")

    assert response.status_code == 404
    assert bypass.COOKIE not in response.cookies


def test_a_secret_link_without_maintenance_is_not_found(client, closure):
    secret = secret_of(closure)
    switch_off()

    assert client.get(f"/maintenance/bypass/{secret}/").status_code == 404


def test_a_forged_signature_is_refused(client, closure):
    value = bypass.cookie_value(closure)
    client.cookies[bypass.COOKIE] = value[:-3] + ("AAA" if not value.endswith("AAA") else "BBB")

    assert client.get("/").status_code == 503


def test_a_cookie_signed_for_a_guessed_secret_is_refused(client, closure):
    client.cookies[bypass.COOKIE] = signing.TimestampSigner(salt="yongxu.maintenance.bypass").sign(f"{closure.id}:guess")

    assert client.get("/").status_code == 503


def test_an_expired_cookie_is_refused(client, closure, frozen):
    visit_link(client, closure)

    frozen.shift(timedelta(hours=12) - timedelta(seconds=1))
    assert client.get("/").status_code == 200
    frozen.shift(timedelta(seconds=2))
    assert client.get("/").status_code == 503


def test_rotating_the_secret_kills_the_cookie_and_the_old_link(client, closure):
    old_secret = secret_of(closure)
    visit_link(client, closure)

    services.rotate_secret(closure, actor=OPERATOR)

    assert client.get("/").status_code == 503
    assert client.get(f"/maintenance/bypass/{old_secret}/").status_code == 404
    assert visit_link(client, closure).status_code == 302
    assert client.get("/").status_code == 200


def test_a_cookie_from_an_ended_maintenance_is_refused_in_the_next_one(client, frozen):
    first = switch_on("full", secret="same-secret-both-times")
    visit_link(client, first)
    switch_off()

    second = switch_on("full", secret="same-secret-both-times")

    assert second.pk != first.pk
    assert client.get("/").status_code == 503


@pytest.mark.parametrize(("address", "expected"), [("203.0.113.77", 200), ("203.0.113.0", 200), ("203.0.114.1", 503),
                                                   ("2001:db8::1", 200), ("2001:db9::1", 503), ("not-an-ip", 503)])
def test_the_ip_allowlist_takes_cidrs(client, settings, closure, address, expected):
    settings.YONGXU_MAINTENANCE_ALLOW_IPS = ["203.0.113.0/24", "2001:db8::/32"]

    assert client.get("/", REMOTE_ADDR=address).status_code == expected


@pytest.mark.parametrize(("remote", "forwarded", "expected"), [
    ("10.0.0.2", "203.0.113.77", 200),                # our proxy says who the client is
    ("198.51.100.1", "203.0.113.77", 503),            # anyone else's header is ignored
    ("10.0.0.2", "203.0.113.77, 198.51.100.1", 503),  # the client wrote the first hop itself
    ("10.0.0.2", "198.51.100.1, 10.0.0.3", 503),      # the nearest untrusted hop is the client
    ("10.0.0.2", "", 503),                            # no header: the proxy itself is not allowlisted
])
def test_x_forwarded_for_is_believed_only_from_a_trusted_proxy(client, settings, closure, remote, forwarded, expected):
    settings.YONGXU_MAINTENANCE_ALLOW_IPS = ["203.0.113.0/24"]
    settings.YONGXU_TRUSTED_PROXIES = ["10.0.0.0/8"]

    assert client.get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded).status_code == expected


def test_an_allowlisted_visitor_sees_the_bypass_banner(client, settings, closure):
    settings.YONGXU_MAINTENANCE_ALLOW_IPS = ["203.0.113.0/24"]

    response = client.get("/", REMOTE_ADDR="203.0.113.77")

    assert BYPASS_BANNER in response.content.decode()


def test_staff_with_the_permission_pass_and_see_the_banner(client, closure, bypasser):
    client.force_login(bypasser)

    response = client.get("/")

    assert response.status_code == 200
    assert BYPASS_BANNER in response.content.decode()


def test_staff_without_the_permission_are_refused(client, closure, clerk):
    client.force_login(clerk)

    assert client.get("/").status_code == 503


def test_buyers_see_no_bypass_banner_when_the_shop_is_open(client):
    assert BYPASS_BANNER not in client.get("/").content.decode()
