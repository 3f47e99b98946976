from django.urls import get_resolver

from yongxu.core.capabilities import ALL, walk_routes


def test_every_route_declares_a_known_capability():
    routes = list(walk_routes(get_resolver().url_patterns))

    missing = [path for path, capability in routes if capability is None]
    unknown = [path for path, capability in routes if capability not in ALL]

    assert len(routes) > 20
    assert missing == []
    assert unknown == []


def test_gateway_callbacks_and_health_have_their_own_capabilities():
    capabilities = dict(walk_routes(get_resolver().url_patterns))

    assert capabilities["pay/notify/<str:provider>/"] == "payment-notify"
    assert capabilities["healthz"] == "health"
    assert capabilities["lookup/"] == "lookup"
