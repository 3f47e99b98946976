"""A private redis-server on a free loopback port: its own folder, no persistence."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import tempfile
from pathlib import Path

from faults.harness.procs import HarnessError, end, free_port, signal_tree, spawn, wait_until


class RedisServer:
    """``start``/``stop``/``kill9``/``hang``/``resume``; the port stays the same across restarts."""

    def __init__(self) -> None:
        self.binary = shutil.which("redis-server")
        if not self.binary:
            raise HarnessError("redis-server is not installed (Debian package redis-server)")
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="yongxu-faults-redis-"))
        self.log = self.root / "redis.log"
        self.process: subprocess.Popen | None = None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        if self.process is not None and self.process.poll() is None:
            return self
        self.process = spawn([self.binary, "--bind", "127.0.0.1", "--port", str(self.port), "--dir", str(self.root),
                              "--save", "", "--appendonly", "no", "--daemonize", "no", "--protected-mode", "yes"],
                             log=self.log, cwd=self.root)
        wait_until(lambda: self.command("PING") == "+PONG" or self.process.poll() is not None, timeout=20,
                   what="redis-server to answer PING")
        if self.process.poll() is not None:
            raise HarnessError(f"redis-server exited: {self.log.read_text()[-1000:]}")
        return self

    def command(self, *args: str, timeout: float = 2) -> str:
        """One command in the inline protocol; the first line of the answer ("" when refused or silent)."""
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=timeout) as conn:
                conn.sendall((" ".join(args) + "\r\n").encode())
                return conn.recv(65536).decode().split("\r\n", 1)[0]
        except OSError:
            return ""

    def flush(self) -> None:
        if self.command("FLUSHALL") != "+OK":
            raise HarnessError("FLUSHALL failed: is Redis up and answering?")

    def stop(self) -> None:
        """A clean shutdown, as an operator's ``systemctl stop redis``."""
        self.resume()
        end(self.process, grace=10)

    def kill9(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def hang(self) -> None:
        """SIGSTOP: the kernel still accepts connections into the backlog; nothing ever answers."""
        if self.process is not None and self.process.poll() is None:
            signal_tree(self.process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        if self.process is not None and self.process.poll() is None:
            signal_tree(self.process.pid, signal.SIGCONT)

    def destroy(self) -> None:
        self.resume()
        end(self.process, grace=5)
        shutil.rmtree(self.root, ignore_errors=True)
