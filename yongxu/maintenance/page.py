"""The maintenance page: rendered when the state changes, once per language, kept in memory, in the
cache and as static files under var/maintenance/ so a web server can serve it with the app down."""

import logging
import os
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import translation

from yongxu.maintenance.state import State

log = logging.getLogger(__name__)
_rendered: dict[tuple, str] = {}


def page_dir() -> Path:
    return Path(settings.VAR_DIR) / "maintenance"


def _content() -> dict:
    from yongxu.maintenance.models import PageContent

    row = PageContent.objects.first()
    contacts = [line.strip() for line in (row.contacts if row else "").splitlines() if line.strip()]
    return {"contacts": contacts or list(settings.YONGXU_SUPPORT_CONTACTS),
            "promotion": row.promotion if row else "", "coupon_teaser": row.coupon_teaser if row else ""}


def _key(state: State, language: str) -> tuple:
    return (state.version, tuple(c.id for c in state.active), language)


def render(state: State, language: str, content: dict | None = None) -> str:
    with translation.override(language):
        return render_to_string("maintenance/page.html", {
            "state": state, "language": language, "shop_name": settings.YONGXU_SHOP_NAME,
            "waiting_for": sorted(state.closed),
            "eta_iso": state.eta.isoformat() if state.eta else "", **(content if content is not None else _content())})


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
    except Exception:  # noqa: BLE001 - the database may be the thing under maintenance
        content = {"contacts": list(settings.YONGXU_SUPPORT_CONTACTS), "promotion": "", "coupon_teaser": ""}
    pages = {}
    for language in languages or [code for code, _ in settings.LANGUAGES]:
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
