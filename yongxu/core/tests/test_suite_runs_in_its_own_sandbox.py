"""The suite must never touch the developer's var/ folder nor wait for a background worker."""

from django.conf import settings


def test_tasks_run_in_process_and_files_stay_in_a_temporary_folder():
    assert settings.TESTING is True
    assert settings.HUEY["immediate"] is True
    assert "yongxu-test-var-" in str(settings.VAR_DIR)
