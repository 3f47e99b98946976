from yongxu.notices.channels.base import Channel, Event


class SlackChannel(Channel):
    """A Slack incoming webhook (and the many tools that accept its format: Mattermost, Rocket.Chat…)."""

    name = "slack"

    def payload(self, event: Event, endpoint) -> dict:
        return {"text": f"{event.text} <{event.url}|Status>",
                "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": f"*{event.title}*\n{event.text}"}}]}
