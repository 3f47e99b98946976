"""Buyer accounts: sign up, verify the e-mail, sign in and out, reset a password, list a buyer's orders,
and revoke sessions (one buyer's, or everyone's for a security maintenance).

Each use case runs in one transaction with its audit entry; e-mails leave after commit, through Huey."""

import math
import secrets
from datetime import timedelta
from hashlib import sha256
from importlib import import_module

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model, login, logout
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.contrib.sessions.models import Session
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from yongxu.accounts.errors import (
    EmailTaken,
    InvalidEmail,
    LinkExpired,
    LinkInvalid,
    SignInFailed,
    SignInLocked,
    WeakPassword,
)
from yongxu.accounts.models import BuyerProfile, UserSession
from yongxu.audit.services import record
from yongxu.core import clock, ratelimit
from yongxu.core.http import client_ip
from yongxu.core.numbers import parse_int
from yongxu.orders.models import Order
from yongxu.outbox import services as outbox

User = get_user_model()

VERIFY_SALT = "yongxu.accounts.verify-email"
VERIFY_MAX_AGE = timedelta(days=3)
# Django's username field holds the e-mail, and it is 150 characters long.
EMAIL_MAX_LENGTH = User._meta.get_field("username").max_length
reset_tokens = PasswordResetTokenGenerator()


# -- e-mail addresses and profiles ------------------------------------------------------------------

def normalise_email(email: str) -> str:
    """The account's key: the whole address lower-cased (so ``Ann@X.com`` and ``ann@x.com`` are one)."""
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise InvalidEmail(field="email") from exc
    return email


def profile_for(user) -> BuyerProfile:
    profile, _ = BuyerProfile.objects.get_or_create(user=user, defaults={"created_at": clock.now()})
    return profile


def _check_password(password: str, user) -> None:
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        raise WeakPassword(" ".join(exc.messages), field="password1") from exc


# -- sign up and e-mail verification ------------------------------------------------------------------

def sign_up(*, email: str, password: str, language: str = "en", time_zone: str = "", actor=None):
    """Create an unverified account and send its verification link, or raise and create nothing.
    The same address in any case is one account: a second sign-up is refused (EmailTaken)."""
    email = normalise_email(email)
    if len(email) > EMAIL_MAX_LENGTH:
        raise InvalidEmail(_("Use an e-mail address of at most %(n)d characters.") % {"n": EMAIL_MAX_LENGTH},
                           field="email")
    _check_password(password, User(username=email, email=email))
    if User.objects.filter(username=email).exists():
        raise EmailTaken(field="email")
    with transaction.atomic():
        try:
            with transaction.atomic():
                user = User.objects.create_user(username=email, email=email, password=password)
        except IntegrityError as exc:  # a simultaneous sign-up with the same address won the race
            raise EmailTaken(field="email") from exc
        BuyerProfile.objects.create(user=user, language=(language or "en")[:10], time_zone=time_zone[:64],
                                    created_at=clock.now())
        record("account.signed_up", actor=actor or f"buyer:{email}", subject=user, data={"email": email})
        _send_on_commit("verify", user)
    return user


def verification_token(user) -> str:
    """A signed link token naming the account and its address; good for VERIFY_MAX_AGE."""
    return signing.TimestampSigner(salt=VERIFY_SALT).sign_object({"u": user.pk, "e": user.email})


def verification_url(user) -> str:
    return f"{settings.SITE_URL}/account/verify/{verification_token(user)}/"


def verify_email(token: str, *, actor=None):
    """Mark the account's e-mail verified. Idempotent: a second click changes nothing."""
    signer = signing.TimestampSigner(salt=VERIFY_SALT)
    try:
        data = signer.unsign_object(token, max_age=VERIFY_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise LinkExpired() from exc
    except (signing.BadSignature, ValueError) as exc:
        raise LinkInvalid() from exc
    if not isinstance(data, dict):
        raise LinkInvalid()
    user = User.objects.filter(pk=data.get("u"), email=data.get("e"), is_active=True).first()
    if user is None:
        raise LinkInvalid()
    with transaction.atomic():
        profile = profile_for(user)
        profile = BuyerProfile.objects.select_for_update().get(pk=profile.pk)
        if profile.email_verified_at is None:
            profile.email_verified_at = clock.now()
            profile.save(update_fields=["email_verified_at"])
            record("account.email_verified", actor=actor or user, subject=user, data={"email": user.email})
    return user


def resend_verification(email: str) -> bool:
    """Send a fresh link if an unverified account has this address. Says nothing to the caller's
    audience either way (the view shows the same page); returns whether a message went out."""
    try:
        email = normalise_email(email)
    except InvalidEmail:
        return False
    user = User.objects.filter(username=email, is_active=True).first()
    if user is None or profile_for(user).email_verified:
        return False
    with transaction.atomic():
        record("account.verification_resent", actor=f"buyer:{email}", subject=user)
        _send_on_commit("verify", user)
    return True


def _send_on_commit(kind: str, user) -> None:
    """The link e-mail as an outbox row of the caller's transaction; each request is its own e-mail (the
    link is made when it is sent, so a retry sends a fresh one)."""
    outbox.add("accounts.email", key=f"account:{user.pk}:{kind}:{secrets.token_hex(8)}",
               payload={"user": user.pk, "kind": kind}, subject=f"user:{user.pk}")


# -- sign in, brute-force protection, sign out ----------------------------------------------------

def _window() -> int:
    return settings.YONGXU_SIGNIN_WINDOW_MINUTES * 60


def _signin_buckets(email: str, ip: str) -> list[tuple[str, int]]:
    account = sha256(email.encode("utf-8")).hexdigest()[:32]
    return [(f"signin:account:{account}", settings.YONGXU_SIGNIN_FAILURES),
            (f"signin:client:{ip}", settings.YONGXU_SIGNIN_CLIENT_FAILURES)]


def _refuse_if_locked(buckets: list[tuple[str, int]]) -> None:
    now = clock.now().timestamp()
    for key, _limit in buckets:
        until = cache.get(f"{key}:locked")
        if until and until > now:
            raise SignInLocked(minutes=max(1, math.ceil((until - now) / 60)))


def _count_failure(buckets: list[tuple[str, int]]) -> None:
    """One more failure in each bucket; the one that reaches its limit starts a full cool-down."""
    window = _window()
    locked = False
    for key, limit in buckets:
        if ratelimit.count(key, window=window) >= limit:
            cache.set(f"{key}:locked", clock.now().timestamp() + window, window)
            ratelimit.reset(key, window=window)
            locked = True
    if locked:
        raise SignInLocked(minutes=math.ceil(window / 60))


def sign_in(request, *, email: str, password: str):
    """Check the address and password and sign the browser in, recording its session so it can be
    revoked. Refuses with the same SignInFailed for an unknown address and a wrong password, and with
    SignInLocked once an account or a client has failed too often (the password is then not even tried).
    A success forgets the account's failures, never the client's: one good account does not buy an
    attacker more guesses at others."""
    email = (email or "").strip().lower()
    ip = client_ip(request)
    buckets = _signin_buckets(email, ip)
    _refuse_if_locked(buckets)
    try:
        validate_email(email)
    except ValidationError:
        user = None
    else:
        user = authenticate(request, username=email, password=password)
    if user is None:
        _count_failure(buckets)
        raise SignInFailed()
    ratelimit.reset(buckets[0][0], window=_window())
    with transaction.atomic():
        login(request, user)
        UserSession.objects.create(user=user, session_key=request.session.session_key, created_at=clock.now(),
                                   last_ip=ip if ip != "unknown" else None,
                                   user_agent=request.headers.get("User-Agent", "")[:300])
        record("account.signed_in", actor=user, subject=user, data={"ip": ip})
    return user


def sign_out(request) -> None:
    user = request.user
    with transaction.atomic():
        if request.session.session_key:
            UserSession.objects.filter(session_key=request.session.session_key).delete()
        if user.is_authenticated:
            record("account.signed_out", actor=user, subject=user)
        logout(request)


# -- sessions: server-side, revocable -------------------------------------------------------------

def _session_store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def _uses_session_table() -> bool:
    return settings.SESSION_ENGINE in ("django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cached_db")


def live_sessions(user) -> QuerySet[UserSession]:
    """The buyer's signed-in browsers whose sessions have not expired."""
    sessions = UserSession.objects.filter(user=user)
    if _uses_session_table():
        live = Session.objects.filter(expire_date__gt=clock.now()).values("session_key")
        sessions = sessions.filter(session_key__in=live)
    return sessions


def revoke_sessions(user, *, actor, keep_session_key: str | None = None) -> int:
    """Sign the buyer out of every browser (but ``keep_session_key``'s). Returns how many were ended."""
    with transaction.atomic():
        rows = UserSession.objects.filter(user=user)
        if keep_session_key:
            rows = rows.exclude(session_key=keep_session_key)
        keys = list(rows.values_list("session_key", flat=True))
        store = _session_store()
        for key in keys:
            store(session_key=key).delete()
        rows.delete()
        record("account.sessions_revoked", actor=actor, subject=user,
               data={"count": len(keys), "kept_current": bool(keep_session_key)})
    return len(keys)


def revoke_all_sessions(*, actor, keep_session_key: str | None = None) -> int:
    """End every session of everyone, signed in or not (a security maintenance: a leaked cookie is
    worthless afterwards). Returns how many sessions were ended."""
    with transaction.atomic():
        rows = UserSession.objects.all()
        if keep_session_key:
            rows = rows.exclude(session_key=keep_session_key)
        if _uses_session_table():
            sessions = Session.objects.all()
            if keep_session_key:
                sessions = sessions.exclude(session_key=keep_session_key)
            count, _ = sessions.delete()
            if settings.SESSION_ENGINE.endswith("cached_db"):
                store = _session_store()
                for key in rows.values_list("session_key", flat=True):
                    store(session_key=key).delete()
        else:
            store = _session_store()
            keys = list(rows.values_list("session_key", flat=True))
            for key in keys:
                store(session_key=key).delete()
            count = len(keys)
        rows.delete()
        record("account.all_sessions_revoked", actor=actor, data={"count": count})
    return count


# -- password reset ---------------------------------------------------------------------------------

def reset_url(user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return f"{settings.SITE_URL}/account/password-reset/{uid}/{reset_tokens.make_token(user)}/"


def request_password_reset(email: str) -> bool:
    """E-mail a reset link if an active account has this address. The caller shows the same page
    either way, and the e-mail leaves in the background, so neither words nor timing tell."""
    try:
        email = normalise_email(email)
    except InvalidEmail:
        return False
    user = User.objects.filter(username=email, is_active=True).first()
    if user is None:
        return False
    with transaction.atomic():
        record("account.password_reset_requested", actor=f"buyer:{email}", subject=user)
        _send_on_commit("password_reset", user)
    return True


def check_reset_link(uidb64: str, token: str):
    """The account a reset link is for, or LinkInvalid (wrong, used, or older than PASSWORD_RESET_TIMEOUT)."""
    try:
        pk = parse_int(force_str(urlsafe_base64_decode(uidb64)), max_digits=18)
    except (TypeError, ValueError, OverflowError, UnicodeDecodeError):
        raise LinkInvalid() from None
    if pk is None:
        raise LinkInvalid()
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None or not reset_tokens.check_token(user, token):
        raise LinkInvalid()
    return user


def reset_password(uidb64: str, token: str, *, password: str):
    """Set a new password through a reset link. The link works once: the token is bound to the old
    password hash, and it is checked again under the account's row lock. Every session of the account
    is ended, and the address counts as verified (the buyer has just read mail sent to it)."""
    user = check_reset_link(uidb64, token)
    _check_password(password, user)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if not reset_tokens.check_token(user, token):
            raise LinkInvalid()
        user.set_password(password)
        user.save(update_fields=["password"])
        profile = profile_for(user)
        if profile.email_verified_at is None:
            profile.email_verified_at = clock.now()
            profile.save(update_fields=["email_verified_at"])
        record("account.password_reset", actor=user, subject=user)
        revoke_sessions(user, actor=user)
    return user


# -- my orders --------------------------------------------------------------------------------------

def my_orders(user) -> QuerySet[Order]:
    """Orders placed while signed in, plus guest orders to the same address once it is verified."""
    mine = Q(user=user)
    if user.email and profile_for(user).email_verified:
        mine |= Q(user__isnull=True, email__iexact=user.email)
    return Order.objects.filter(mine).order_by("-created_at")
