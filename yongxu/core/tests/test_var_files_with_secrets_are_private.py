"""What holds keys or secrets under var/ is the owner's only: var/secrets/ (0700, each file 0600), the
SQLite database with its -wal and -shm files, Huey's SQLite queue and media/ — as written by a real
start-up and migration. A world-readable secrets folder from an older install is tightened. var/
itself and var/static/ stay readable: nginx serves from them."""

import stat

from yongxu.core.tests.startup import start


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# Migrate, then look while the connection is still open: SQLite removes -wal and -shm at the last close.
MIGRATE_AND_LIST = ("import django, os, stat; django.setup(); from django.core.management import call_command; "
                    "call_command('migrate', verbosity=0); from django.conf import settings; "
                    "print(' '.join(f'{name}:{stat.S_IMODE(os.stat(settings.VAR_DIR / name).st_mode):o}' "
                    "for name in sorted(os.listdir(settings.VAR_DIR)) if '.sqlite3' in name))")


def test_a_fresh_shop_writes_its_secrets_and_databases_for_its_owner_only(tmp_path):
    migrated = start(tmp_path, {}, "-c", MIGRATE_AND_LIST)

    assert migrated.returncode == 0, migrated.stderr
    open_files = dict(entry.split(":") for entry in migrated.stdout.split())
    assert {name: mode for name, mode in open_files.items() if name.startswith("yongxu.")} == {
        "yongxu.sqlite3": "600", "yongxu.sqlite3-wal": "600", "yongxu.sqlite3-shm": "600"}
    assert open_files["huey.sqlite3"] == "600"
    secrets = sorted(path.name for path in (tmp_path / "secrets").iterdir())
    assert {"django_secret_key", "key_encryption_key", "epay_key"} <= set(secrets)
    assert {name: _mode(tmp_path / "secrets" / name) for name in secrets} == dict.fromkeys(secrets, 0o600)
    assert _mode(tmp_path / "secrets") == 0o700
    databases = sorted(path.name for path in tmp_path.glob("*.sqlite3*"))
    assert {name: _mode(tmp_path / name) for name in databases} == dict.fromkeys(databases, 0o600)
    assert _mode(tmp_path / "media") == 0o700
    assert _mode(tmp_path / "static") & 0o005 == 0o005


def test_an_older_world_readable_secrets_folder_is_tightened_at_start(tmp_path):
    (tmp_path / "secrets").mkdir(mode=0o755)
    (tmp_path / "secrets" / "django_secret_key").write_text("an-older-secret-key-" * 3)
    (tmp_path / "secrets" / "django_secret_key").chmod(0o644)

    started = start(tmp_path, {})

    assert started.returncode == 0, started.stderr
    assert _mode(tmp_path / "secrets") == 0o700
    assert _mode(tmp_path / "secrets" / "django_secret_key") == 0o600
    assert (tmp_path / "secrets" / "django_secret_key").read_text() == "an-older-secret-key-" * 3
