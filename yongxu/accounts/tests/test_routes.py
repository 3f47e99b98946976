"""Every account page belongs to the ``accounts`` capability, so maintenance can close it by name."""

from django.urls import get_resolver

from yongxu.core.capabilities import walk_routes


def test_every_account_route_is_in_the_accounts_capability():
    routes = {path: capability for path, capability in walk_routes(get_resolver().url_patterns)
              if path.startswith("account/")}

    assert sorted(routes) == sorted([
        "account/signup/", "account/login/", "account/logout/", "account/verify/resend/",
        "account/verify/<str:token>/", "account/password-reset/", "account/password-reset/<str:uidb64>/<str:token>/",
        "account/unlock/<str:token>/", "account/orders/", "account/sessions/revoke/"])
    assert set(routes.values()) == {"accounts"}
