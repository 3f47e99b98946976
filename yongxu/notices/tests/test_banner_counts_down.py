"""The banner appears exactly at the lead time with a countdown, and grows louder at 24 h and 1 h;
a buyer who signs in is reminded at once."""

from datetime import timedelta

import pytest

from yongxu.notices.tests.conftest import schedule

pytestmark = pytest.mark.django_db


def banner(client) -> str:
    page = client.get("/").content.decode()
    start = page.find('class="banner upcoming"')
    return page[start:page.find("</div>", start)] if start >= 0 else ""


def test_the_banner_appears_at_the_lead_time_and_grows_louder(client, frozen, settings):
    settings.YONGXU_BANNER_LEAD_HOURS = 72
    schedule(starts_in=timedelta(hours=72, seconds=1))
    assert banner(client) == ""

    frozen.shift(timedelta(seconds=1))
    assert 'data-prominence="notice"' in banner(client) and ">3d 00:00:00<" in banner(client)

    frozen.shift(timedelta(hours=48))
    assert 'data-prominence="day"' in banner(client) and ">1d 00:00:00<" in banner(client)

    frozen.shift(timedelta(hours=23, minutes=30))
    assert 'data-prominence="hour"' in banner(client) and ">00:30:00<" in banner(client)


def test_signing_in_shows_a_reminder(client, frozen, django_user_model):
    django_user_model.objects.create_user(username="ann@example.com", email="ann@example.com", password="pw-long-enough-1")
    schedule(starts_in=timedelta(hours=10), title="Key store upgrade")

    response = client.post("/account/login/", {"email": "ann@example.com", "password": "pw-long-enough-1"}, follow=True)

    assert "Planned maintenance: Key store upgrade" in response.content.decode()
