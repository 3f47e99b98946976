from yongxu.notices.channels.base import Channel, Event


class GenericChannel(Channel):
    """Our own JSON document (Event.as_dict): the event, the window and the update."""

    name = "generic"

    def payload(self, event: Event, endpoint) -> dict:
        return event.as_dict()
