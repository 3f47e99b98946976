from django.apps import AppConfig


class MaintenanceConfig(AppConfig):
    name = "yongxu.maintenance"
    label = "maintenance"

    def ready(self) -> None:
        from yongxu.maintenance import page
        from yongxu.maintenance.snapshot import gatekeeper

        # Every node writes its own copy of the page when it sees a new state version.
        gatekeeper.on_change.append(lambda keeper: page.publish(keeper.state()))
