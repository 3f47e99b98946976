"""The "temporarily unavailable" answer, for when the database (or another part every page needs) is away
while the shop is open: a branded page in the visitor's language with ``Retry-After``, JSON for the API,
a plain 503 for gateway callbacks (so the gateway retries). Rendered without touching the database, kept
in memory once rendered, and written to ``var/maintenance/unavailable-<language>.html`` so a web server in
front can serve it when no app node answers at all."""

import logging
import os
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import patch_cache_control

from yongxu.core.http import wants_json

log = logging.getLogger(__name__)
RETRY_AFTER = 30  # seconds
_pages: dict[str, str] = {}


def _brand() -> dict:
    """Name, colour and contacts from the shop settings, or the configured defaults (the settings row is read
    through the cache, and its reader falls back to the defaults when the database is away)."""
    try:
        from yongxu.shop.services import shop_settings

        shop = shop_settings()
        contacts = list(dict.fromkeys(line for line in [shop.support_email, *shop.contact_lines] if line))
        return {"shop_name": shop.name, "colour": shop.primary_colour or "#0f766e", "contacts": contacts}
    except Exception:  # noqa: BLE001 - anything: this page must render
        return {"shop_name": settings.YONGXU_SHOP_NAME, "colour": "#0f766e",
                "contacts": list(settings.YONGXU_SUPPORT_CONTACTS)}


def page(language: str) -> str:
    html = _pages.get(language)
    if html is None:
        html = publish(languages=[language])[language]
    return html


def publish(*, languages: list[str] | None = None) -> dict[str, str]:
    """Render the page for each language, remember it, and write the static copy for the web server."""
    brand = _brand()
    pages = {}
    for language in languages or [code for code, _ in settings.LANGUAGES]:
        with translation.override(language):
            html = render_to_string("unavailable.html", {"language": language, "retry_after": RETRY_AFTER, **brand})
        _pages[language] = pages[language] = html
        _write(Path(settings.VAR_DIR) / "maintenance" / f"unavailable-{language}.html", html)
    return pages


def _write(target: Path, html: str) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        temporary.write_text(html, encoding="utf-8")
        os.replace(temporary, target)
    except OSError as error:
        log.warning("unavailable page not written to %s: %s", target, error)


def response(request, *, reason: str = "database") -> HttpResponse:
    """The 503 for a request that could not be served because ``reason`` is away."""
    if request.path.startswith("/pay/notify/"):
        answer = HttpResponse("temporarily unavailable, please retry", status=503, content_type="text/plain")
    elif wants_json(request):
        answer = JsonResponse({"error": "unavailable", "message": "The shop is briefly unavailable; please retry.",
                               "unavailable": reason, "retry_after": RETRY_AFTER}, status=503)
    else:
        language = translation.get_language_from_request(request) or settings.LANGUAGE_CODE
        answer = HttpResponse(page(language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE),
                              status=503)
    answer["Retry-After"] = str(RETRY_AFTER)
    patch_cache_control(answer, no_store=True)
    return answer
