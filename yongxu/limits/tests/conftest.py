"""A Redis that accepts connections and never answers (the suite's own redis-server, which can be stopped and
hung, is the ``own_redis`` fixture of yongxu/conftest.py)."""

import socket
import threading

import pytest


class HungRedis:
    """Accepts connections and never answers: what a Redis stuck in a long command or a dead host looks like."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"redis://127.0.0.1:{self.listener.getsockname()[1]}/0"
        self.connections: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self.connections.append(conn)

    def close(self) -> None:
        self.listener.close()
        for conn in self.connections:
            conn.close()


@pytest.fixture
def hung_redis():
    server = HungRedis()
    yield server
    server.close()
