"""Runs before Django is set up: the suite uses in-process task execution and its own var/ folder."""

import os
import tempfile

os.environ["YONGXU_TESTING"] = "1"
os.environ.setdefault("YONGXU_VAR_DIR", tempfile.mkdtemp(prefix="yongxu-test-var-"))
