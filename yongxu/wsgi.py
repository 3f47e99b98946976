"""The web process. It works out its own address (YONGXU_SITE_URL, else 127.0.0.1:$PORT, default 8000)
and records it under var/, where commands run beside it read it (yongxu.core.siteurl)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yongxu.settings")
os.environ.setdefault("PORT", "8000")  # never an older run's record: that is for the commands beside it
application = get_wsgi_application()

from django.conf import settings  # noqa: E402 - configured by get_wsgi_application()

from yongxu.core.siteurl import record  # noqa: E402

record(settings.VAR_DIR, settings.SITE_URL)
