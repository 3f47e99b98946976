"""Mounted at /account/ by yongxu/urls.py. Every route belongs to the ``accounts`` capability."""

from yongxu.accounts import views
from yongxu.core.capabilities import ACCOUNTS, route

urlpatterns = [
    route("signup/", views.signup, name="account-signup", capability=ACCOUNTS),
    route("login/", views.signin, name="account-login", capability=ACCOUNTS),
    route("logout/", views.signout, name="account-logout", capability=ACCOUNTS),
    route("verify/resend/", views.verify_resend, name="account-verify-resend", capability=ACCOUNTS),
    route("verify/<str:token>/", views.verify, name="account-verify", capability=ACCOUNTS),
    route("password-reset/", views.password_reset, name="account-password-reset", capability=ACCOUNTS),
    route("password-reset/<str:uidb64>/<str:token>/", views.password_reset_confirm,
          name="account-password-reset-confirm", capability=ACCOUNTS),
    route("unlock/<str:token>/", views.unlock, name="account-unlock", capability=ACCOUNTS),
    route("orders/", views.orders, name="account-orders", capability=ACCOUNTS),
    route("sessions/revoke/", views.sessions_revoke, name="account-sessions-revoke", capability=ACCOUNTS),
]
