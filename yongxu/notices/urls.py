"""Mounted at /status/ by yongxu/urls.py (the page itself and /status.json are named there)."""

from yongxu.core.capabilities import STATUS, SUPPORT, route
from yongxu.notices import views

urlpatterns = [
    route("live/", views.status_partial, name="status-live", capability=STATUS),
    route("feed.atom", views.atom_feed, name="notices-atom", capability=STATUS),
    route("calendar.ics", views.calendar_feed, name="notices-calendar", capability=STATUS),
    route("subscribe/email/", views.subscribe, name="notices-subscribe", capability=STATUS),
    route("subscribe/webhook/", views.subscribe_webhook, name="notices-subscribe-webhook", capability=STATUS),
    route("confirm/<str:token>/", views.confirm, name="notices-confirm", capability=STATUS),
    route("unsubscribe/<str:token>/", views.unsubscribe, name="notices-unsubscribe", capability=STATUS),
    route("feedback/<int:window_id>/", views.feedback, name="notices-feedback", capability=SUPPORT),
]
