"""A private PostgreSQL cluster (initdb + pg_ctl from this machine's server package) on a free loopback
port, TCP only, trust auth, fsync off. As root the binaries run as the ``postgres`` user in a folder it owns."""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

import psycopg

from faults.harness.procs import HarnessError, descendants, end, free_port, signal_tree, spawn, wait_until


def bindir() -> Path:
    """Where initdb and pg_ctl live: ``pg_config --bindir``, else the newest /usr/lib/postgresql/*/bin."""
    candidates = []
    if pg_config := shutil.which("pg_config"):
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            candidates.append(subprocess.run([pg_config, "--bindir"], capture_output=True, text=True,
                                             check=True, timeout=10).stdout.strip())
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]), reverse=True)
    for candidate in candidates:
        if (Path(candidate) / "initdb").exists() and (Path(candidate) / "pg_ctl").exists():
            return Path(candidate)
    raise HarnessError("no PostgreSQL server binaries (initdb, pg_ctl): install Debian's postgresql package")


class Cluster:
    """``start``/``stop``/``kill9``/``hang``/``resume`` control the postmaster and its backends."""

    def __init__(self) -> None:
        self.bin = bindir()
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="yongxu-faults-pg-"))
        self.data, self.log = self.root / "data", self.root / "postgres.log"
        self._as_user: list[str] = []
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            user = pwd.getpwnam("postgres")
            os.chown(self.root, user.pw_uid, user.pw_gid)
            self._as_user = [shutil.which("setpriv") or "/usr/bin/setpriv", f"--reuid={user.pw_uid}",
                             f"--regid={user.pw_gid}", "--init-groups", "--"]
        self.user = "postgres"
        self.process: subprocess.Popen | None = None
        self._env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C.UTF-8"}

    def _run(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
        done = subprocess.run([*self._as_user, *args], capture_output=True, text=True, timeout=timeout, cwd=self.root,
                              env=self._env)
        if done.returncode != 0:
            raise HarnessError(f"{Path(args[0]).name} failed ({done.returncode}): {done.stderr.strip()[-1000:]}"
                               f"\n{self.log.read_text()[-1500:] if self.log.exists() else ''}")
        return done

    def init(self) -> Cluster:
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", self.user, "--auth=trust", "-E", "UTF8",
                  "--locale=C.UTF-8", "--no-sync", timeout=120)
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(f"\nlisten_addresses = '127.0.0.1'\nport = {self.port}\nunix_socket_directories = ''\n"
                       "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\nmax_connections = 100\n"
                       "shared_buffers = 64MB\nlogging_collector = off\n")
        return self.start()

    @property
    def running(self) -> bool:
        return self.postmaster_pid() is not None

    def postmaster_pid(self) -> int | None:
        with contextlib.suppress(OSError, ValueError, IndexError):
            pid = int((self.data / "postmaster.pid").read_text().split()[0])
            os.kill(pid, 0)
            if Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z":
                return pid
        return None

    def start(self) -> Cluster:
        """The postmaster as our own child (not daemonised by pg_ctl), so a killed one is reaped at once."""
        if self.running:
            return self
        self.process = spawn([*self._as_user, str(self.bin / "postgres"), "-D", str(self.data)], log=self.log,
                             cwd=self.root, env=self._env)
        wait_until(lambda: self.accepts() or self._exited(), timeout=60, what="PostgreSQL to accept connections")
        if not self.accepts():
            raise HarnessError(f"PostgreSQL did not start:\n{self.log.read_text()[-1500:]}")
        return self

    def _exited(self) -> bool:
        return self.process is not None and self.process.poll() is not None

    def stop(self, mode: str = "fast") -> None:
        """A clean shutdown (``fast``: active sessions are ended, as an operator's restart does)."""
        self.resume()
        if self.running:
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop", timeout=90)
        if self.process is not None:
            self.process.wait(30)

    def kill9(self) -> None:
        """SIGKILL to the postmaster and every backend at once: a crash."""
        if (pid := self.postmaster_pid()) is not None:
            signal_tree(pid, signal.SIGKILL)
            if self.process is not None:
                self.process.wait(10)
            wait_until(lambda: self.postmaster_pid() is None, timeout=10, what="postmaster to die")

    def hang(self) -> None:
        """SIGSTOP to the postmaster and backends: connections are accepted by the kernel, never answered."""
        if (pid := self.postmaster_pid()) is not None:
            signal_tree(pid, signal.SIGSTOP)

    def resume(self) -> None:
        if (pid := self.postmaster_pid()) is not None:
            signal_tree(pid, signal.SIGCONT)

    def backends(self) -> list[int]:
        pid = self.postmaster_pid()
        return descendants(pid) if pid else []

    def url(self, database: str) -> str:
        return f"postgres://{self.user}@127.0.0.1:{self.port}/{database}"

    def connect(self, database: str = "postgres", *, timeout: int = 5) -> psycopg.Connection:
        return psycopg.connect(host="127.0.0.1", port=self.port, user=self.user, dbname=database,
                               connect_timeout=timeout, autocommit=True)

    def accepts(self) -> bool:
        try:
            with self.connect(timeout=2) as conn:
                conn.execute("SELECT 1")
            return True
        except psycopg.OperationalError:
            return False

    def create_database(self, name: str, *, template: str | None = None) -> str:
        with self.connect() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        return self.url(name)

    def destroy(self) -> None:
        with contextlib.suppress(HarnessError, OSError, subprocess.SubprocessError):
            self.stop(mode="immediate")
        with contextlib.suppress(HarnessError):
            self.kill9()
        end(self.process, grace=5)
        shutil.rmtree(self.root, ignore_errors=True)
