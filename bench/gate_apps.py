"""A bench-only app for bench/gate_settings.py: with ``BENCH_NO_PUBSUB=1`` it replaces
``yongxu.maintenance.channel.listen`` by a no-op once the apps are loaded (the channel module imports
models, so the settings module itself cannot do it). Nodes then learn of a new maintenance version only by
polling the Redis version key, at most about once a second. The product has no such switch."""

from django.apps import AppConfig


class NoPubSubConfig(AppConfig):
    name = "bench.gate_apps"
    label = "bench_no_pubsub"

    def ready(self) -> None:
        from yongxu.maintenance import channel

        channel.listen = lambda on_message: None
