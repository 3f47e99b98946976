from yongxu.notices.channels.base import Channel, Event


class DiscordChannel(Channel):
    """A Discord webhook: one embed per update."""

    name = "discord"

    def payload(self, event: Event, endpoint) -> dict:
        return {"content": event.text[:2000],
                "embeds": [{"title": event.title[:256], "description": (event.note or event.kind_label)[:4096],
                            "url": event.url, "timestamp": event.at.isoformat()}]}
