"""The registry of webhook channels: format name → dotted path of its class (grep-able, no discovery)."""

from django.utils.module_loading import import_string

from yongxu.notices.channels.base import Channel

CHANNELS = {
    "generic": "yongxu.notices.channels.generic.GenericChannel",
    "telegram": "yongxu.notices.channels.telegram.TelegramChannel",
    "slack": "yongxu.notices.channels.slack.SlackChannel",
    "discord": "yongxu.notices.channels.discord.DiscordChannel",
}


def channel_for(format_name: str) -> Channel:
    try:
        return import_string(CHANNELS[format_name])()
    except KeyError:
        raise ValueError(f"unknown webhook format {format_name!r}") from None
