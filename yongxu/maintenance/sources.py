"""Closure sources: who closed something, registered with how it is described, ended and shown.

A closure's ``source`` is ``<kind>`` or ``<kind>:<detail>``: ``manual``, ``window:12``,
``protection:key-vault``, ``breaker:payment:alipay``. Only a registered kind whose entry accepts the
detail may close anything (``services.close_capabilities`` refuses the rest), and the banner, the
maintenance and status pages, the feeds, the CLI and the admin describe a closure only through its
kind's entry, never by taking the string apart themselves. A row whose kind is not (or no longer)
registered reads as ``UNKNOWN``: shown plainly, ended like a manual switch.

Another app registers its own kind once, from its ``AppConfig.ready``::

    sources.register(sources.Source(kind="supplier", label=_("Supplier outage"),
                                    public_title=_("Supplier outage"),
                                    public_notice=_("Part of the shop is paused: a supplier is not answering."),
                                    status=sources.OUTAGE, accepts=sources.named))
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

MANUAL, WINDOW, BREAKER, PROTECTION, RELEASE, WAITROOM = "manual", "window", "breaker", "protection", "release", "waitroom"
#: how the status page shows a closure: planned work, or something that broke
MAINTENANCE, OUTAGE = "maintenance", "outage"


def no_detail(detail: str) -> bool:
    return detail == ""


def named(detail: str) -> bool:
    """A short name after the kind (``protection:key-vault``, ``breaker:payment:alipay``)."""
    return 0 < len(detail) <= 60 and detail.isprintable() and " " not in detail


def any_detail(detail: str) -> bool:
    return detail == "" or named(detail)


def split(source: str) -> tuple[str, str]:
    """``("window", "12")`` for ``window:12``; ``("manual", "")`` for ``manual``."""
    kind, _sep, detail = (source or "").partition(":")
    return kind, detail


def compose(kind: str, detail: object = "") -> str:
    return f"{kind}:{detail}" if detail != "" else kind


@dataclass(frozen=True)
class Source:
    """One kind of closure source. The contract every page relies on:

    ``kind``: the text before the first ``:`` of a closure's source.
    ``label``: what staff read (admin, control room, CLI).
    ``public_title``: what buyers read as the title of a closure that carries no public reason
        (the banner of one to come, the status page, the feeds). Never the internal reason.
    ``public_notice``: the sentence buyers read while one is on and carries no public reason (the
        banner, the maintenance page).
    ``status``: ``MAINTENANCE`` or ``OUTAGE``, how the status page and its history show it.
    ``accepts``: whether the detail after ``:`` ("" when there is none) is a valid one.
    ``ender``: how an operator ends one closure: ``ender(closure, *, actor, note)``, in the caller's
        transaction, raising a MaintenanceError if it cannot. None: ended on its own
        (``services.turn_off`` of that one closure), which is right for anything that holds no
        state beside the closure row.
    ``buyer_link``: an optional ``(url, text)`` a buyer may follow about one closure (a window's
        "need something before the window?" form); it must never raise.
    ``admin_url``: where staff manage one closure; by default its own admin page.
    """

    kind: str
    label: str
    public_title: str
    public_notice: str
    status: str = MAINTENANCE
    accepts: Callable[[str], bool] = no_detail
    ender: Callable | None = None
    buyer_link: Callable[[object], tuple[str, str] | None] | None = None
    admin_url: Callable[[object], str] | None = None

    def describe(self, closure) -> str:
        """What buyers read of ``closure`` (a Closure row or a ClosureView)."""
        return closure.public_reason or str(self.public_title)

    def notice(self, closure) -> str:
        return closure.public_reason or str(self.public_notice)

    def link_for(self, closure) -> tuple[str, str] | None:
        return self.buyer_link(closure) if self.buyer_link else None

    def admin_url_for(self, closure) -> str:
        if self.admin_url:
            url = self.admin_url(closure)
            if url:
                return url
        return reverse("admin:maintenance_closure_change", args=[closure.id])


_registry: dict[str, Source] = {}


def register(source: Source) -> Source:
    """Register a kind of closure source (once; a second registration of a kind is a bug)."""
    if not source.kind or ":" in source.kind or source.kind in _registry:
        raise ValueError(f"closure source kind {source.kind!r} is empty, has a ':' or is registered already")
    if source.status not in (MAINTENANCE, OUTAGE):
        raise ValueError(f"closure source {source.kind!r}: status must be {MAINTENANCE!r} or {OUTAGE!r}")
    _registry[source.kind] = source
    return source


def registered() -> tuple[Source, ...]:
    return tuple(_registry.values())


UNKNOWN = Source(kind="unknown", label=_("Other"), public_title=_("Maintenance"),
                 public_notice=_("Part of the shop is paused for maintenance."))


def entry(source: str) -> Source:
    """The entry describing a closure of ``source``; ``UNKNOWN`` for a kind nobody registered."""
    return _registry.get(split(source)[0], UNKNOWN)


def is_valid(source: str) -> bool:
    """A registered kind, with a detail its entry accepts."""
    kind, detail = split(source)
    return kind in _registry and _registry[kind].accepts(detail)


def headline(state) -> str:
    """What buyers read of a maintenance state: its public reason, else the notice of the source of its
    broadest active closure ("" when nothing is on)."""
    if state.public_reason:
        return state.public_reason
    leading = max(state.active, key=lambda c: (len(c.closes), c.starts_at), default=None)
    return str(entry(leading.source).public_notice) if leading else ""


def window_id(source: str) -> int | None:
    """The planned window a ``window:<id>`` source belongs to; None for anything else."""
    kind, detail = split(source)
    return int(detail) if kind == WINDOW and detail.isascii() and detail.isdigit() else None


def _is_window(detail: str) -> bool:
    from yongxu.maintenance.models import MaintenanceWindow

    return detail.isascii() and detail.isdigit() and MaintenanceWindow.objects.filter(pk=int(detail)).exists()


def _end_window(closure, *, actor, note: str = "") -> None:
    from yongxu.maintenance import services, windows
    from yongxu.maintenance.models import MaintenanceWindow

    window = MaintenanceWindow.objects.filter(closure_id=closure.pk).first()
    if window is None:  # a bare closure a window never owned (stored before sources were registered)
        services.turn_off(actor=actor, source=closure.source, closure_ids=[closure.pk], note=note)
        return
    windows.end_window(window, actor=actor, note=note)


def _window_feedback(closure) -> tuple[str, str] | None:
    pk = window_id(closure.source)
    if pk is None:
        return None
    return reverse("notices-feedback", args=[pk]), str(_("Need something before the window?"))


def _window_admin(closure) -> str:
    pk = window_id(closure.source)
    return reverse("admin:maintenance_maintenancewindow_change", args=[pk]) if pk is not None else ""


register(Source(kind=MANUAL, label=_("Manual switch"), public_title=_("Maintenance"),
                public_notice=_("Part of the shop is paused for maintenance.")))
register(Source(kind=WINDOW, label=_("Planned window"), public_title=_("Planned maintenance"),
                public_notice=_("Part of the shop is paused for planned maintenance."), accepts=_is_window,
                ender=_end_window, buyer_link=_window_feedback, admin_url=_window_admin))
register(Source(kind=BREAKER, label=_("Circuit breaker"), public_title=_("Service disruption"),
                public_notice=_("Part of the shop is paused: a service we depend on is not answering."),
                status=OUTAGE, accepts=named))
register(Source(kind=PROTECTION, label=_("Automatic protection"), public_title=_("Protective pause"),
                public_notice=_("Part of the shop is paused to protect your orders and payments."),
                status=OUTAGE, accepts=named))
register(Source(kind=RELEASE, label=_("Release"), public_title=_("Shop update"),
                public_notice=_("We are updating the shop; part of it is paused for a few minutes."),
                accepts=any_detail))
register(Source(kind=WAITROOM, label=_("Waiting room"), public_title=_("Waiting room"),
                public_notice=_("The shop is very busy right now: you are in a queue and will be let in shortly."),
                accepts=any_detail))
