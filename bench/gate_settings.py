"""Settings for the maintenance benchmarks: Yongxu's own settings, then two switches from the environment.

``BENCH_GATE`` picks the maintenance middleware (the rest of the stack is unchanged):

- ``none``: no maintenance middleware at all (the baseline);
- ``ours`` (default): ``yongxu.maintenance.gate.MaintenanceGateMiddleware``, where Yongxu puts it;
- ``dmm``: django-maintenance-mode's ``MaintenanceModeMiddleware`` last (as its README says), with its app,
  its context processor and its default state backend (``LocalFileBackend``; the state file is put under
  ``YONGXU_VAR_DIR`` instead of beside this file).

``BENCH_NO_PUBSUB=1`` adds the bench app bench/gate_apps.py, which replaces
``yongxu.maintenance.channel.listen`` by a no-op, so with ``REDIS_URL`` set the nodes learn of a change only
by polling the version key (at most about once a second). The product has no such switch; this exists
for bench/propagation.py only.

The URL configuration is bench/gate_urls.py: Yongxu's routes plus ``/bench/ping``.
"""

import os

from yongxu.settings import *  # noqa: F403
from yongxu.settings import INSTALLED_APPS, MIDDLEWARE, TEMPLATES, VAR_DIR

GATE = "yongxu.maintenance.gate.MaintenanceGateMiddleware"
BENCH_GATE = os.environ.get("BENCH_GATE", "ours")
if BENCH_GATE not in {"none", "ours", "dmm"}:
    raise ValueError(f"BENCH_GATE must be none, ours or dmm, not {BENCH_GATE!r}")

ROOT_URLCONF = "bench.gate_urls"
if BENCH_GATE != "ours":
    MIDDLEWARE = [name for name in MIDDLEWARE if name != GATE]
if BENCH_GATE == "dmm":
    INSTALLED_APPS = ["maintenance_mode", *INSTALLED_APPS]
    MIDDLEWARE = [*MIDDLEWARE, "maintenance_mode.middleware.MaintenanceModeMiddleware"]
    TEMPLATES[0]["OPTIONS"]["context_processors"].append("maintenance_mode.context_processors.maintenance_mode")
    MAINTENANCE_MODE_STATE_FILE_PATH = str(VAR_DIR / "maintenance_mode_state.txt")

if os.environ.get("BENCH_NO_PUBSUB") == "1":
    INSTALLED_APPS = [*INSTALLED_APPS, "bench.gate_apps.NoPubSubConfig"]  # patches channel.listen in ready()
