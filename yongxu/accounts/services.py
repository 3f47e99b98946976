"""Buyer accounts: sign up, verify the e-mail, sign in and out, reset a password, list a buyer's orders,
and revoke sessions (one buyer's, or everyone's for a security maintenance).

Each use case runs in one transaction with its audit entry; e-mails leave after commit, through Huey."""

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
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from yongxu.accounts.errors import (
    AccountLocked,
    EmailTaken,
    InvalidEmail,
    LinkExpired,
    LinkInvalid,
    SignInFailed,
    SignInLocked,
    WeakPassword,
)
from yongxu.accounts.models import BuyerProfile, SignInLock, UserSession
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
#
# Three counts, all shared by every process (yongxu.core.ratelimit): failures of one client on one
# account and of one client on any account cool down by themselves, so nobody elsewhere can lock the
# owner out; failures on one account from anywhere lock it, past a much higher threshold, until the
# owner follows the link e-mailed to the account or resets the password.

UNLOCK_SALT = "yongxu.accounts.unlock"
UNLOCK_MAX_AGE = timedelta(days=3)
UNLOCK_MAIL_WINDOW = 3600  # at most one unlock e-mail an hour per account, however often it is tried


def _window() -> int:
    return settings.YONGXU_SIGNIN_WINDOW_MINUTES * 60


def _account_window() -> int:
    return settings.YONGXU_SIGNIN_ACCOUNT_WINDOW_HOURS * 3600


def account_key(username: str) -> str:
    """How the lockout names an account: a hash of the lower-cased user name (buyers: the e-mail)."""
    return sha256((username or "").strip().lower().encode("utf-8")).hexdigest()[:32]


def _signin_buckets(account: str, ip: str) -> dict[str, str]:
    return {"pair": f"signin:pair:{ip}:{account}", "client": f"signin:client:{ip}",
            "account": f"signin:account:{account}"}


def _refuse_if_locked(username: str, account: str, buckets: dict[str, str]) -> None:
    if SignInLock.objects.filter(account=account).exists():
        _mail_unlock_link(username, account)
        raise AccountLocked()
    seconds = max(ratelimit.blocked_for(buckets["pair"]), ratelimit.blocked_for(buckets["client"]))
    if seconds:
        raise SignInLocked(seconds=seconds)


def _count_failure(username: str, account: str, buckets: dict[str, str]) -> None:
    """One more failure in each count. A client's count that reaches its limit starts a full cool-down
    for that client; the account's count that reaches its threshold locks the account."""
    window = _window()
    blocked = False
    for name, limit in (("pair", settings.YONGXU_SIGNIN_FAILURES), ("client", settings.YONGXU_SIGNIN_CLIENT_FAILURES)):
        if ratelimit.count(buckets[name], window=window) >= limit:
            ratelimit.block(buckets[name], seconds=window)
            ratelimit.reset(buckets[name], window=window)
            blocked = True
    if ratelimit.count(buckets["account"], window=_account_window()) >= settings.YONGXU_SIGNIN_ACCOUNT_FAILURES:
        _lock_account(username, account)
        raise AccountLocked()
    if blocked:
        raise SignInLocked(seconds=window)


def _lock_account(username: str, account: str) -> None:
    with transaction.atomic():
        lock, created = SignInLock.objects.get_or_create(account=account, defaults={"created_at": clock.now()})
        if created:
            record("account.signin_locked", actor="system:lockout", data={"account": account})
    if created:
        _mail_unlock_link(username, account)


def _mail_unlock_link(username: str, account: str) -> None:
    """E-mail the unlock link to the account, if there is one with an address (at most once an hour)."""
    if ratelimit.count(f"signin:unlock-mail:{account}", window=UNLOCK_MAIL_WINDOW) > 1:
        return
    user = User.objects.filter(username__iexact=(username or "").strip(), is_active=True).exclude(email="").first()
    if user is not None and account_key(user.get_username()) == account:
        with transaction.atomic():
            record("account.unlock_link_sent", actor="system:lockout", subject=user)
            _send_on_commit("unlock", user)


def unlock_url(user) -> str | None:
    """The link that unlocks ``user``'s account, or None when it is not locked."""
    lock = SignInLock.objects.filter(account=account_key(user.get_username())).first()
    if lock is None:
        return None
    token = signing.TimestampSigner(salt=UNLOCK_SALT).sign_object({"u": user.pk, "l": lock.pk})
    return f"{settings.SITE_URL}/account/unlock/{token}/"


def unlock_account(token: str):
    """Unlock the account named by an unlock link and forget its failures; returns the user. The link
    names one lock: once it is used (or the account locked anew) it unlocks nothing."""
    try:
        data = signing.TimestampSigner(salt=UNLOCK_SALT).unsign_object(token, max_age=UNLOCK_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise LinkExpired() from exc
    except (signing.BadSignature, ValueError) as exc:
        raise LinkInvalid() from exc
    if not isinstance(data, dict):
        raise LinkInvalid()
    user = User.objects.filter(pk=data.get("u"), is_active=True).first()
    if user is None:
        raise LinkInvalid()
    account = account_key(user.get_username())
    with transaction.atomic():
        if SignInLock.objects.filter(pk=data.get("l"), account=account).delete()[0] != 1:
            raise LinkInvalid()
        record("account.signin_unlocked", actor=user, subject=user, data={"by": "link"})
    ratelimit.reset(f"signin:account:{account}", window=_account_window())
    return user


def clear_signin_lock(user, *, actor, by: str) -> bool:
    """End ``user``'s account-wide lock and forget its failures (a password reset, or an operator's
    ``yongxu signin unlock``). Returns whether it was locked."""
    account = account_key(user.get_username())
    with transaction.atomic():
        unlocked = SignInLock.objects.filter(account=account).delete()[0] > 0
        if unlocked:
            record("account.signin_unlocked", actor=actor, subject=user, data={"by": by})
    ratelimit.reset(f"signin:account:{account}", window=_account_window())
    return unlocked


def check_credentials(request, *, username: str, password: str, well_formed: bool = True):
    """The one guard of every password sign-in (buyers at /account/login/, staff at /admin/login/):
    returns the user for the right password, or raises — SignInFailed (the same for an unknown name and
    a wrong password); SignInLocked (429, cools down) once this client has failed YONGXU_SIGNIN_FAILURES
    times on this account or YONGXU_SIGNIN_CLIENT_FAILURES times on any; AccountLocked once the account
    has failed YONGXU_SIGNIN_ACCOUNT_FAILURES times from anywhere (then only the e-mailed link or a
    password reset opens it). While locked, the password is not even tried. ``well_formed=False`` (a
    name that cannot be an account) counts as a failure without asking the database. A success forgets
    this client's failures on the account, never the client's own count: one good account does not buy
    an attacker more guesses at others."""
    account = account_key(username)
    buckets = _signin_buckets(account, client_ip(request))
    _refuse_if_locked(username, account, buckets)
    user = authenticate(request, username=username, password=password) if well_formed else None
    if user is None:
        _count_failure(username, account, buckets)
        raise SignInFailed()
    ratelimit.reset(buckets["pair"], window=_window())
    return user


def sign_in(request, *, email: str, password: str):
    """Check the address and password (``check_credentials``) and sign the browser in, recording its
    session so it can be revoked."""
    email = (email or "").strip().lower()
    ip = client_ip(request)
    try:
        validate_email(email)
    except ValidationError:
        well_formed = False
    else:
        well_formed = True
    user = check_credentials(request, username=email, password=password, well_formed=well_formed)
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
        clear_signin_lock(user, actor=user, by="password_reset")  # the owner has read mail sent to the account
    return user


# -- my orders --------------------------------------------------------------------------------------

def my_orders(user) -> QuerySet[Order]:
    """Orders placed while signed in, plus guest orders to the same address once it is verified."""
    mine = Q(user=user)
    if user.email and profile_for(user).email_verified:
        mine |= Q(user__isnull=True, email__iexact=user.email)
    return Order.objects.filter(mine).order_by("-created_at")
