from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from yongxu.accounts.services import clear_signin_lock


class Command(BaseCommand):
    help = ("Sign-in lockouts: `signin unlock USERNAME` ends an account's lock after too many failed sign-ins "
            "(the way back for a staff member whose unlock e-mail cannot reach them).")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["unlock"])
        parser.add_argument("username")

    def handle(self, *args, **options):
        user = get_user_model().objects.filter(username__iexact=options["username"].strip()).first()
        if user is None:
            raise CommandError(f"no account {options['username']!r}", returncode=2)
        if clear_signin_lock(user, actor="cli", by="cli"):
            self.stdout.write(f"{user.get_username()} unlocked")
        else:
            self.stdout.write(f"{user.get_username()} was not locked")
