"""The buyer's support pages; all of them stay open during maintenance (capability SUPPORT)."""

from yongxu.core.capabilities import SUPPORT, route
from yongxu.support import views

urlpatterns = [
    route("", views.start, name="support", capability=SUPPORT),
    route("t/<str:token>/", views.ticket_page, name="support-ticket", capability=SUPPORT),
    route("t/<str:token>/close/", views.close, name="support-close", capability=SUPPORT),
    route("t/<str:token>/files/<int:attachment_id>/", views.attachment, name="support-attachment",
          capability=SUPPORT),
]
