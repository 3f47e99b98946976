"""`yongxu outbox status|list|retry|run` — the e-mails, alerts and webhooks the shop owes, for operators.

Exit codes: 0 done (for `status`: nothing failed or in doubt); 3 `status` found failed or "maybe sent"
effects; 2 refused input; 1 anything else."""

import json

from django.core.management.base import BaseCommand, CommandError

from yongxu.core.errors import DomainError
from yongxu.outbox import services
from yongxu.outbox.models import Effect, EffectStatus


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        status = sub.add_parser("status", help="How many wait, how late, how many failed or maybe sent (exit 3 if any).")
        status.add_argument("--json", action="store_true")
        listing = sub.add_parser("list", help="Effects in one state (default: those needing a look).")
        listing.add_argument("--status", choices=EffectStatus.values, action="append")
        listing.add_argument("--limit", type=int, default=50)
        retry = sub.add_parser("retry", help="Send failed or maybe-sent effects again (check they did not arrive).")
        retry.add_argument("ids", type=int, nargs="+")
        sub.add_parser("run", help="Deliver what is due now, in this process (no worker needed).")

    def handle(self, *args, **options):
        action = options["action"]
        if action == "status":
            data = services.backlog()
            self.stdout.write(json.dumps(data) if options["json"] else
                              f"{data['due']} due (oldest {data['oldest_due_seconds']} s), {data['maybe']} maybe sent, "
                              f"{data['failed']} failed")
            if data["maybe"] or data["failed"]:
                raise SystemExit(3)
        elif action == "list":
            statuses = options["status"] or [EffectStatus.MAYBE, EffectStatus.FAILED]
            for effect in Effect.objects.filter(status__in=statuses).order_by("-id")[:options["limit"]]:
                self.stdout.write(f"{effect.pk}\t{effect.status}\t{effect.kind}\t{effect.subject}\t{effect.attempts}\t"
                                  f"{effect.last_error}")
        elif action == "retry":
            for pk in options["ids"]:
                effect = Effect.objects.filter(pk=pk).first()
                if effect is None:
                    raise CommandError(f"no effect #{pk}", returncode=2)
                try:
                    services.retry_effect(effect, actor="cli")
                except DomainError as error:
                    raise CommandError(f"#{pk}: {error.message}", returncode=2) from error
                self.stdout.write(f"#{pk} queued again")
        else:
            self.stdout.write(f"{services.drain(limit=10_000)} delivered")
