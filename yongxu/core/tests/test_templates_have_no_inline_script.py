"""The Content-Security-Policy allows scripts only from our static files, so no template of ours may hold
an inline ``<script>`` or an ``on…=`` handler attribute (they would silently not run)."""

import re
from pathlib import Path

import yongxu

TEMPLATES = sorted(Path(yongxu.__file__).parent.glob("**/templates/**/*.html"))
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)


def test_there_are_templates_to_check():
    assert len(TEMPLATES) > 50


def test_no_template_has_an_inline_script_or_handler():
    found = {str(path.relative_to(Path(yongxu.__file__).parent)): problem
             for path in TEMPLATES for problem in (INLINE_SCRIPT, HANDLER, JAVASCRIPT_URL)
             if problem.search(path.read_text(encoding="utf-8"))}

    assert found == {}
