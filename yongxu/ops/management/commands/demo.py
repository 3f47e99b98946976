"""`yongxu demo`: migrate, load the demo shop, then serve it with gunicorn and the Huey worker."""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from yongxu.core.secrets import embedded_secret
from yongxu.ops.demo import ensure_admin, load_demo_shop, new_password


def gunicorn_command(port: str, workers: str) -> list[str]:
    """How the demo serves the shop; the access log goes to stdout, with secrets redacted."""
    return [sys.executable, "-m", "gunicorn", "yongxu.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", workers,
            "--worker-class", "gthread", "--threads", "4", "--access-logfile", "-",
            "--logger-class", "yongxu.ops.accesslog.RedactedAccessLogger", "--graceful-timeout", "10"]


class Command(BaseCommand):
    help = "Set up and serve the demo shop on http://127.0.0.1:$PORT (default 8000)."

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="Set up only; do not start the servers.")

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        figures = load_demo_shop()
        username, password = ensure_admin(lambda: embedded_secret(settings.VAR_DIR, "demo_admin_password", new_password))
        port = os.environ.get("PORT", "8000")
        alipay = (f"  Alipay:        Alipay (simulated) available: 当面付 at "
                  f"{settings.YONGXU_PAYMENT_PROVIDERS['alipay']['gateway_url']}\n"
                  f"                 RSA2 test keys generated in {settings.VAR_DIR / 'secrets'}\n"
                  if getattr(settings, "ALIPAY_SIMULATED", False) else "")
        providers = settings.YONGXU_PAYMENT_PROVIDERS
        alipay += (f"  USDT:          epusdt (simulated) at {providers['epusdt']['api_base']}\n"
                   if getattr(settings, "EPUSDT_SIMULATED", False) else "")
        alipay += (f"  WeChat Pay:    WeChat Pay Native v3 (simulated) at {providers['wechat']['api_base']}\n"
                   if getattr(settings, "WECHAT_SIMULATED", False) else "")
        alipay += (f"  PayPal:        PayPal Orders v2 (simulated) at {providers['paypal']['api_base']}\n"
                   if getattr(settings, "PAYPAL_SIMULATED", False) else "")
        self.stdout.write(self.style.SUCCESS(f"""
Yongxu demo shop — {figures['products']} products
  Shop:          http://127.0.0.1:{port}/
  Admin:         http://127.0.0.1:{port}/admin/   login: {username} / {password}
  Dashboard:     http://127.0.0.1:{port}/admin/dashboard/
  API:           http://127.0.0.1:{port}/api/v1/docs
  Demo gateway:  Epay simulator at {settings.EPAY_GATEWAY_URL}
                 merchant id (pid): {settings.EPAY_PID}   key: {settings.EPAY_KEY}
{alipay}  E-mail:        written to {settings.EMAIL_FILE_PATH if hasattr(settings, 'EMAIL_FILE_PATH') else 'SMTP'}
"""))
        if not options["no_serve"]:
            self._serve(port)

    def _serve(self, port: str) -> None:
        python = sys.executable
        manage = [python, "-m", "yongxu.cli"]
        workers = os.environ.get("WEB_CONCURRENCY", "3")
        processes = [
            subprocess.Popen([*manage, "run_huey"]),
            subprocess.Popen(gunicorn_command(port, workers)),
        ]

        def stop(*_):
            for process in processes:
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)

        signal.signal(signal.SIGTERM, stop)
        try:
            while all(process.poll() is None for process in processes):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            stop()
            for process in processes:
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
