from yongxu.notices.channels.base import Channel, Event


class TelegramChannel(Channel):
    """Telegram Bot API sendMessage: the endpoint URL is https://api.telegram.org/bot<token>/sendMessage
    and ``chat_id`` names the chat."""

    name = "telegram"

    def payload(self, event: Event, endpoint) -> dict:
        return {"chat_id": endpoint.chat_id, "text": f"{event.text}\n{event.url}", "disable_web_page_preview": True}
