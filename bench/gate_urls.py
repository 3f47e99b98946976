"""Yongxu's URL configuration plus one minimal view for the benchmarks: ``/bench/ping`` answers "ok"."""

from django.http import HttpResponse

from yongxu.core.capabilities import BROWSE, route
from yongxu.urls import urlpatterns as shop_urlpatterns


def ping(request) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [route("bench/ping", ping, name="bench-ping", capability=BROWSE), *shop_urlpatterns]
