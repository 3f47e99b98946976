"""A production environment that sets what it must starts: `yongxu check --deploy` passes with HSTS
configured, Epay is on only when configured, and nothing is generated under var/secrets/."""

from yongxu.core.tests.startup import production_env, start

SHOW = ("import django; django.setup(); from django.conf import settings as s; "
        "print(s.YONGXU_PAYMENT_PROVIDERS['epay']['enabled'], s.YONGXU_SIMULATOR, s.SECURE_HSTS_SECONDS, "
        "s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SESSION_COOKIE_SECURE)")


def test_a_correct_production_environment_passes_the_deploy_checks(tmp_path):
    env = production_env(tmp_path, EPAY_PID="1234", EPAY_KEY="a-real-merchant-key", EPAY_GATEWAY_URL="https://pay.example/")

    checked = start(tmp_path, env, "-m", "yongxu.cli", "check", "--deploy", "--fail-level", "ERROR")
    shown = start(tmp_path, env, "-c", SHOW)

    assert checked.returncode == 0, checked.stderr
    assert "security.W004" not in checked.stderr + checked.stdout  # HSTS is set
    assert "security.W018" not in checked.stderr + checked.stdout  # DEBUG is off
    assert shown.stdout.split() == ["True", "False", "31536000", "True", "True"]
    assert not (tmp_path / "secrets").exists() or list((tmp_path / "secrets").iterdir()) == []


def test_without_epay_settings_epay_is_off(tmp_path):
    shown = start(tmp_path, production_env(tmp_path), "-c", SHOW)

    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.split()[:2] == ["False", "False"]


def test_the_demo_keeps_epay_and_the_simulator_on_and_hsts_off(tmp_path):
    shown = start(tmp_path, {}, "-c", SHOW)

    assert shown.stdout.split() == ["True", "True", "0", "False", "False"]
