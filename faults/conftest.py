"""Fixtures of the fault suite: one PostgreSQL cluster, one redis-server and one SMTP sink for the run
(the shop set up once in a template database), and for each case a fresh copy of that shop served by its
own gunicorn and Huey worker. Every process and temporary folder is removed at the end, also on failure."""

from __future__ import annotations

import json
import os
import shutil
import signal
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from faults.harness import procs
from faults.harness.client import Buyer, Recorder, request
from faults.harness.postgres import Cluster
from faults.harness.procs import free_port
from faults.harness.redis_server import RedisServer
from faults.harness.shop import Gunicorn, HueyWorker, base_env, copy_var, set_up_shop, yongxu
from faults.harness.smtp_sink import SmtpSink
from faults.harness.state import ShopState

CASE_TIMEOUT = int(os.environ.get("FAULTS_CASE_TIMEOUT", "240"))  # seconds; a hung case fails, it does not hang CI
SETTLE = float(os.environ.get("FAULTS_SETTLE_SECONDS", "20"))  # how long e-mails may take to arrive after a fault
FIGURES: dict[str, dict] = {}


class CaseTimeout(Exception):
    pass


@dataclass
class Servers:
    postgres: Cluster
    redis: RedisServer
    sink: SmtpSink
    template_var: Path


@dataclass
class Stack:
    """One case's shop and everything it talks to."""
    servers: Servers
    env: dict[str, str]
    database: str
    gunicorn: Gunicorn
    huey: HueyWorker
    recorder: Recorder = field(default_factory=Recorder)
    figures: dict = field(default_factory=dict)

    @property
    def postgres(self) -> Cluster:
        return self.servers.postgres

    @property
    def redis(self) -> RedisServer:
        return self.servers.redis

    @property
    def sink(self) -> SmtpSink:
        return self.servers.sink

    @property
    def port(self) -> int:
        return self.gunicorn.port

    @property
    def state(self) -> ShopState:
        return ShopState(lambda: self.postgres.connect(self.database))

    def buyer(self, **options) -> Buyer:
        return Buyer(self.port, self.recorder, **options)

    def get(self, path: str, *, kind: str = "probe", headers: dict[str, str] | None = None, **options):
        return request(self.port, "GET", path, recorder=self.recorder, kind=kind,
                       headers={"Accept-Language": "en", **(headers or {})}, **options)

    def yongxu(self, *args: str, timeout: float = 60):
        return yongxu(list(args), self.env, timeout=timeout)

    def wait_for_mail(self, emails: list[str], *, timeout: float = SETTLE, grace: float = 3.0) -> dict[str, int]:
        """Wait until each address has its "your keys" e-mail (at most ``timeout`` s), then ``grace`` s more
        so that a second copy has the time to arrive; returns the count per address."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not all(self.sink.deliveries().get(e) for e in emails):
            time.sleep(0.2)
        time.sleep(grace)
        return {email: self.sink.deliveries().get(email, 0) for email in emails}


def _interrupt(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")  # so that `make` stopping the run still cleans up


@pytest.fixture(scope="session")
def servers():
    signal.signal(signal.SIGTERM, _interrupt)
    made: list = []
    try:
        postgres = Cluster()
        made.append(postgres.destroy)
        postgres.init()
        redis = RedisServer()
        made.append(redis.destroy)
        redis.start()
        sink = SmtpSink().start()
        made.append(sink.stop)
        template_var = Path(tempfile.mkdtemp(prefix="yongxu-faults-var-"))
        made.append(lambda: shutil.rmtree(template_var, ignore_errors=True))
        url = postgres.create_database("faults_template")
        set_up_shop(base_env(var_dir=template_var, database_url=url, redis_url=None, smtp_port=sink.port,
                             port=free_port()))
        yield Servers(postgres, redis, sink, template_var)
    finally:
        procs.end_all()
        for undo in reversed(made):
            undo()


@pytest.fixture
def stack(servers, request):
    """A fresh shop: its own database (a copy of the template), var/ folder, gunicorn and Huey worker.

    ``@pytest.mark.shop(workers=2, threads=4, redis=True)`` changes the defaults."""
    options = {"workers": 2, "threads": 4, "redis": True}
    if marker := request.node.get_closest_marker("shop"):
        options |= marker.kwargs
    servers.postgres.resume()
    servers.postgres.start()
    servers.redis.start()
    servers.redis.resume()
    servers.redis.flush()
    servers.sink.reset()
    database = f"faults_{request.node.name.lower().replace('[', '_').replace(']', '')[:40]}"
    home = Path(tempfile.mkdtemp(prefix="yongxu-faults-shop-"))
    try:
        url = servers.postgres.create_database(database, template="faults_template")
        env = base_env(var_dir=copy_var(servers.template_var, home / "var"), database_url=url,
                       redis_url=servers.redis.url if options["redis"] else None, smtp_port=servers.sink.port,
                       port=free_port())
        case = Stack(servers, env, database, Gunicorn(env, workers=options["workers"], threads=options["threads"]),
                     HueyWorker(env))
        try:
            case.gunicorn.start()
            case.huey.start().wait_ready()
            yield case
        finally:
            _tear_down(case, request.node)
    finally:
        shutil.rmtree(home, ignore_errors=True)


def _tear_down(case: Stack, node) -> None:
    """Kill the case's processes (the servers stay for the next case); keep logs of a failure in the report."""
    case.huey.kill9()
    case.gunicorn.kill9()
    case.servers.postgres.resume()
    case.servers.redis.resume()
    report = getattr(node, "report_call", None)
    if report is None or report.failed:
        for log in (case.gunicorn.log, case.huey.log):
            if log.exists():
                node.add_report_section("teardown", log.name, log.read_text(errors="replace")[-6000:])
    node.add_report_section("teardown", "requests", json.dumps(case.recorder.counts(), indent=1))
    FIGURES[node.nodeid] = {"requests": case.recorder.counts(), **case.figures}


@pytest.fixture(autouse=True)
def case_timeout():
    def expire(signum, frame):
        raise CaseTimeout(f"the case ran longer than FAULTS_CASE_TIMEOUT={CASE_TIMEOUT} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(CASE_TIMEOUT)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.report_call = report
    return report


def pytest_terminal_summary(terminalreporter):
    if not FIGURES:
        return
    terminalreporter.section("fault suite figures")
    for nodeid, figures in FIGURES.items():
        terminalreporter.write_line(f"{nodeid}: {json.dumps(figures, default=str)}")
    out = Path(os.environ.get("FAULTS_FIGURES", Path(tempfile.gettempdir()) / "yongxu-faults-figures.json"))
    out.write_text(json.dumps(FIGURES, indent=2, default=str))
    terminalreporter.write_line(f"written to {out}")

