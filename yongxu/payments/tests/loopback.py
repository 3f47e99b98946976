"""A real HTTP server on 127.0.0.1 for the new gateways' fakes: each fake gives one function
``answer(method, path, headers, body) -> (status, content_type, body bytes)``; every request is kept."""

import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


@dataclass(frozen=True)
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


Answer = Callable[[str, str, dict, bytes], tuple[int, str, bytes]]


class LoopbackServer:
    def __init__(self, answer: Answer):
        self.answer = answer
        self.seen: list[Seen] = []
        self.fail_with: int | None = None
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02},
                                        name="fake-gateway", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._thread.is_alive():
            self._server.shutdown()
            self._thread.join(timeout=10)
            self._server.server_close()

    def _handler_class(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _reply(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = {k.lower(): v for k, v in self.headers.items()}
                server.seen.append(Seen(self.command, self.path, headers, body))
                if server.fail_with:
                    status, content_type, payload = server.fail_with, "application/json", b'{"error": "trouble"}'
                else:
                    status, content_type, payload = server.answer(self.command, self.path, headers, body)
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = _reply

            def log_message(self, format, *args):
                pass

        return Handler


@dataclass(frozen=True)
class KeyPair:
    private: rsa.RSAPrivateKey
    private_pem: str
    public_pem: str


@cache
def made_key(name: str) -> KeyPair:
    """An RSA-2048 key made for this test run (one per name), never written to disk."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return KeyPair(key, key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()).decode(),
                   key.public_key().public_bytes(serialization.Encoding.PEM,
                                                 serialization.PublicFormat.SubjectPublicKeyInfo).decode())
