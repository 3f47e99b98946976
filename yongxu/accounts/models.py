"""Buyer accounts ride on Django's own User (username = the lower-cased e-mail); what a buyer adds is
kept beside it. Sessions live in the database and each signed-in one is listed here, so it can be revoked."""

from django.conf import settings
from django.db import models


class BuyerProfile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="buyer_profile")
    email_verified_at = models.DateTimeField(null=True, blank=True)
    language = models.CharField(max_length=10, default="en", help_text="The buyer's language, for e-mails.")
    time_zone = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.user.get_username()

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None


class UserSession(models.Model):
    """One signed-in browser: written by the sign-in service, deleted on sign-out and on revocation."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="buyer_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField()
    last_ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} @ {self.created_at:%Y-%m-%d %H:%M}"


class SignInLock(models.Model):
    """An account locked after too many failed sign-ins from anywhere (YONGXU_SIGNIN_ACCOUNT_FAILURES).
    Only the link e-mailed to the account, or a password reset, deletes it. Keyed by a hash of the
    lower-cased user name, so an address without an account locks the same way (nobody learns which
    addresses have one)."""

    account = models.CharField(max_length=32, unique=True)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.account} since {self.created_at:%Y-%m-%d %H:%M}"
