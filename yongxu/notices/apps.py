import logging

from django.apps import AppConfig

log = logging.getLogger(__name__)


class NoticesConfig(AppConfig):
    name = "yongxu.notices"
    label = "notices"
    verbose_name = "Notices and status page"

    def ready(self) -> None:
        from yongxu.maintenance.snapshot import gatekeeper

        # Rebuilt on change: when a node sees a new maintenance version it rebuilds the status page's
        # data at once (every language), so the status page and /status.json then cost no query.
        gatekeeper.on_change.append(_rebuild_status)


def _rebuild_status(keeper) -> None:
    from yongxu.notices import status

    try:
        status.rebuild(keeper.snapshot.version)
    except Exception:  # the status page rebuilds on its next read instead
        log.exception("status page data not rebuilt for version %s", keeper.snapshot.version)
