import json

from django.core.management.base import BaseCommand, CommandError

from yongxu.audit.services import verify_chain


class Command(BaseCommand):
    help = "Audit log tools: `audit verify` checks the hash chain and exits non-zero if it is broken."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        report = verify_chain()
        if options["json"]:
            self.stdout.write(json.dumps({"ok": report.ok, "checked": report.checked,
                                         "first_bad_id": report.first_bad_id, "problem": report.problem}))
        elif report.ok:
            self.stdout.write(f"audit log intact: {report.checked} entries checked")
        if not report.ok:
            where = f"entry #{report.first_bad_id}" if report.first_bad_id else "the end of the log"
            raise CommandError(f"audit log broken at {where}: {report.problem}", returncode=1)
