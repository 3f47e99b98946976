"""Language-aware small text helpers."""

from django.utils.translation import pgettext


def join_list(items) -> str:
    """Join names the way the current language lists them ("a, b" in English, "a、b" in Chinese)."""
    return pgettext("list separator", ", ").join(str(item) for item in items)
