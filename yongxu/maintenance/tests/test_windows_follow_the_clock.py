"""A scheduled window opens and closes on time through the real gate, with no cron job and no
further change: the gate's state is a function of the clock."""

from datetime import timedelta

import pytest

from yongxu.maintenance import services
from yongxu.maintenance.tests.conftest import NOW, OPERATOR

pytestmark = pytest.mark.django_db

OPENS, CLOSES = NOW + timedelta(hours=1), NOW + timedelta(hours=2)
TICK = timedelta(microseconds=1)


@pytest.fixture
def window(frozen):
    return services.close_capabilities(["browse"], source="manual", reason="catalogue re-index", until=CLOSES,
                                       actor=OPERATOR, public_reason="Catalogue refresh", starts_at=OPENS)


@pytest.mark.parametrize(("moment", "expected"), [(NOW, 200), (OPENS - TICK, 200), (OPENS, 503), (CLOSES - TICK, 503),
                                                  (CLOSES, 200)], ids=["now", "just-before", "opens", "last-instant",
                                                                       "closes"])
def test_the_gate_follows_the_window(client, window, frozen, moment, expected):
    client.get("/")

    frozen.move_to(moment, tick=False)

    assert client.get("/").status_code == expected


def test_one_process_walks_through_the_whole_window(client, window, frozen):
    seen = []
    for moment in (NOW, OPENS, CLOSES - TICK, CLOSES, CLOSES + timedelta(days=1)):
        frozen.move_to(moment, tick=False)
        seen.append(client.get("/").status_code)

    assert seen == [200, 503, 503, 200, 200]


def test_while_it_is_on_retry_after_counts_to_its_end(client, window, frozen):
    frozen.move_to(OPENS + timedelta(minutes=15), tick=False)

    response = client.get("/", HTTP_ACCEPT="application/json")

    assert response.json()["retry_after"] == 45 * 60
    assert response.json()["eta"] == CLOSES.isoformat()
