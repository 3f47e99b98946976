"""The account e-mails (verification link, password reset link, unlock link), in the buyer's language and
the shop's brand. Links are made when the message is sent, so a retried task sends a fresh one (and none
when there is nothing left to do: an account unlocked meanwhile gets no unlock link)."""

from django.contrib.auth import get_user_model

from yongxu.accounts import services
from yongxu.outbox.errors import Skip
from yongxu.shop.emails import send_email

KINDS = {"verify": services.verification_url, "password_reset": services.reset_url, "unlock": services.unlock_url}


def handle_effect(effect) -> None:
    """The outbox's "accounts.email" (payload: user id and kind)."""
    kind = effect.payload["kind"]
    if kind not in KINDS:
        raise ValueError(f"unknown account e-mail {kind!r}")
    user = get_user_model().objects.filter(pk=effect.payload["user"], is_active=True).first()
    if user is None or not user.email:
        raise Skip("no active account with an address")
    link = KINDS[kind](user)
    if link is None:
        raise Skip("nothing to link to any more")
    profile = services.profile_for(user)
    context = {"user": user, "link": link, "verify_days": services.VERIFY_MAX_AGE.days}
    send_email(effect, f"accounts/email/{kind}", context, to=[user.email], language=profile.language)
