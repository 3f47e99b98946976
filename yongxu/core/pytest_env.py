"""Loaded by pytest with ``-p`` (pyproject addopts), before pytest-django imports the settings: the
suite runs tasks in-process and keeps its files in a temporary var/ folder of its own."""

import os
import tempfile

os.environ["YONGXU_TESTING"] = "1"
os.environ.setdefault("YONGXU_VAR_DIR", tempfile.mkdtemp(prefix="yongxu-test-var-"))
