"""The maintenance page: rendered when the state changes, once per language, kept in memory, in the
cache and as static files under var/maintenance/ so a web server can serve it with the app down."""

import logging
import os
import re
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from yongxu.core.capabilities import ACCOUNTS, BROWSE, CHECKOUT, DELIVERY, LOOKUP, PAYMENT, SUPPORT
from yongxu.maintenance import sources
from yongxu.maintenance.state import State

log = logging.getLogger(__name__)
_rendered: dict[tuple, str] = {}
PAUSABLE = (BROWSE, CHECKOUT, PAYMENT, DELIVERY, LOOKUP, SUPPORT, ACCOUNTS)


def page_dir() -> Path:
    return Path(settings.VAR_DIR) / "maintenance"


DEFAULT_COLOUR = "#0f766e"
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
_last_content: dict = {}  # the last content read, for when the database is the thing under maintenance


def _unique(items) -> list[str]:
    return list(dict.fromkeys(item for item in items if item))


def _content() -> dict:
    """The page's text (PageContent) and the shop's brand and contacts (ShopSettings)."""
    from yongxu.maintenance.models import PageContent
    from yongxu.shop.services import shop_settings

    shop = shop_settings()
    row = PageContent.objects.first()
    own = [line.strip() for line in (row.contacts if row else "").splitlines() if line.strip()]
    content = {"shop_name": shop.name, "logo_url": shop.logo_url, "footer_text": shop.footer_text,
               "colour": shop.primary_colour if _COLOUR.fullmatch(shop.primary_colour or "") else DEFAULT_COLOUR,
               "contacts": _unique(own or [shop.support_email, *shop.contact_lines]) or list(settings.YONGXU_SUPPORT_CONTACTS),
               "promotion": row.promotion if row else "", "coupon_teaser": row.coupon_teaser if row else ""}
    _last_content.clear()
    _last_content.update(content)
    return content


def _fallback_content() -> dict:
    return dict(_last_content) or {
        "shop_name": settings.YONGXU_SHOP_NAME, "logo_url": "", "footer_text": "", "colour": DEFAULT_COLOUR,
        "contacts": list(settings.YONGXU_SUPPORT_CONTACTS), "promotion": "", "coupon_teaser": ""}


def what_works(state: State) -> tuple[list[dict], list[str]]:
    """What a buyer can still do in ``state`` (text, and a link where there is one), and what is
    paused: only what is really open is offered."""
    from yongxu.maintenance.tasks import _label as label

    working = [{"text": _("Payments already made are received and applied.")}]
    if not state.is_closed(DELIVERY):
        working.append({"text": _("Paid orders are delivered at once, on the order page and by e-mail.")})
    if not state.is_closed(CHECKOUT) and not state.is_closed(PAYMENT):
        working.append({"text": _("New orders and payments")})
    for capability, text, url in ((BROWSE, _("Browse the shop"), "/"), (LOOKUP, _("Find my order"), "/lookup/"),
                                  (SUPPORT, _("Contact support"), "/support/")):
        if not state.is_closed(capability):
            working.append({"text": text, "url": url})
    working.append({"text": _("Status page"), "url": "/status/"})
    paused = [label(name) for name in PAUSABLE if state.is_closed(name)]
    if state.is_closed(DELIVERY):
        paused.append(_("Paid orders are kept and their keys delivered as soon as delivery is back."))
    return working, paused


def _key(state: State, language: str) -> tuple:
    return (state.version, tuple(c.id for c in state.active), language)


def render(state: State, language: str, content: dict | None = None) -> str:
    with translation.override(language):
        working, paused = what_works(state)
        return render_to_string("maintenance/page.html", {
            "state": state, "language": language, "headline": sources.headline(state) or str(sources.UNKNOWN.public_notice),
            "working": working, "paused": paused, "waiting_for": sorted(state.closed),
            "eta_iso": state.eta.isoformat() if state.eta else "",
            **(content if content is not None else _content())})


def page_for(state: State, language: str) -> str:
    """The page for this state; rendered (and written to disk) only the first time it is asked for."""
    key = _key(state, language)
    html = _rendered.get(key)
    if html is None:
        html = publish(state, languages=[language])[language]
    return html


def publish(state: State, *, languages: list[str] | None = None) -> dict[str, str]:
    """Render, remember, cache and write the page for each language. Each node writes its own copy."""
    try:
        content = _content()
    except Exception:  # noqa: BLE001 - the database (or the cache) may be the thing under maintenance
        content = _fallback_content()
    pages = {}
    for language in languages or [code for code, _name in settings.LANGUAGES]:
        html = render(state, language, content)
        pages[language] = html
        if len(_rendered) > 64:
            _rendered.clear()
        _rendered[_key(state, language)] = html
        try:
            cache.set(f"maintenance:page:{language}", html, None)
        except Exception as exc:  # noqa: BLE001 - the cache is optional here
            log.warning("maintenance page not cached: %s", exc)
        _write(language, html)
    return pages


def _write(language: str, html: str) -> None:
    folder = page_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{language}.html"
        temporary = folder / f".{language}.{os.getpid()}.tmp"
        temporary.write_text(html, encoding="utf-8")
        os.replace(temporary, target)
    except OSError as exc:
        log.warning("maintenance page not written to %s: %s", folder, exc)
