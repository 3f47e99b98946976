"""With YONGXU_PRODUCTION=1 the settings refuse, at start-up, what would be unsafe to serve buyers with,
and the message says what to set. Each case starts the settings in a fresh process."""

import pytest

from yongxu.core.tests.startup import production_env, refusal, start


def test_missing_secrets_are_refused_and_none_is_generated(tmp_path):
    result = start(tmp_path, {"YONGXU_PRODUCTION": "1"})

    assert refusal(result) == (
        "YONGXU_PRODUCTION=1 refuses to start:\n"
        "- set SECRET_KEY, YONGXU_KEY_ENCRYPTION_KEY, ALLOWED_HOSTS, DATABASE_URL and YONGXU_SITE_URL in the "
        "environment (or as NAME_FILE): production has no generated secrets, no default hosts, database or site URL.")
    assert not (tmp_path / "secrets").exists() or sorted(p.name for p in (tmp_path / "secrets").iterdir()) == []


@pytest.mark.parametrize(("env", "problem"), [
    ({"DEBUG": "1"}, "- unset DEBUG: it shows settings, card keys and tracebacks to anyone."),
    ({"YONGXU_SIMULATOR": "1"},
     "- unset YONGXU_SIMULATOR: the built-in gateway simulator lets anyone mark an order paid."),
    ({"EPAY_ENABLED": "1"},
     "- Epay is on but EPAY_PID, EPAY_KEY and EPAY_GATEWAY_URL are not set: configure your Epay merchant account or "
     "turn it off with EPAY_ENABLED=0 (the demo's generated key is never used in production)."),
    ({"EPAY_PID": "1234", "EPAY_KEY": "a-real-merchant-key", "EPAY_GATEWAY_URL": "https://shop.example/simulator/"},
     "- gateway 'epay' points at the built-in simulator: set EPAY_GATEWAY_URL to the gateway's real URL, "
     "or turn epay off."),
    ({"PAYPAL_CLIENT_ID": "client", "PAYPAL_SECRET": "secret", "PAYPAL_WEBHOOK_ID": "WH-1",
      "PAYPAL_API_BASE": "https://shop.example/simulator/paypal",
      "PAYPAL_CERT_URL_PREFIXES": "https://shop.example/simulator/paypal/"},
     "- gateway 'paypal' points at the built-in simulator: set PAYPAL_API_BASE and PAYPAL_CERT_URL_PREFIXES to the "
     "gateway's real URL, or turn paypal off."),
    ({"YONGXU_KEY_ENCRYPTION_KEY": "not-a-fernet-key"},
     "- YONGXU_KEY_ENCRYPTION_KEY must be a Fernet key (32 bytes, url-safe base64): make one with python -c "
     "'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'."),
])
def test_an_unsafe_setting_is_refused_with_what_to_do(tmp_path, env, problem):
    result = start(tmp_path, production_env(tmp_path, **env))

    assert refusal(result) == f"YONGXU_PRODUCTION=1 refuses to start:\n{problem}"


def test_the_demo_epay_key_is_refused_in_production(tmp_path):
    demo = start(tmp_path, {})  # the demo generates its Epay key under var/secrets/ and prints it
    demo_key = (tmp_path / "secrets" / "epay_key").read_text().strip()

    result = start(tmp_path, production_env(tmp_path, EPAY_PID="1000", EPAY_KEY=demo_key,
                                            EPAY_GATEWAY_URL="https://pay.example/"))

    assert demo.returncode == 0, demo.stderr
    assert refusal(result) == (
        "YONGXU_PRODUCTION=1 refuses to start:\n"
        f"- gateway 'epay' uses a demo key generated under {tmp_path / 'secrets'} (key): set the credentials of your "
        "real merchant account.")


def test_a_demo_key_file_given_as_a_path_is_refused(tmp_path):
    start(tmp_path, {})
    demo_key_file = tmp_path / "secrets" / "alipay_app_private_key"

    result = start(tmp_path, production_env(tmp_path, ALIPAY_APP_ID="2021000000000001",
                                            ALIPAY_PRIVATE_KEY=str(demo_key_file),
                                            ALIPAY_PUBLIC_KEY=(tmp_path / "secrets" / "alipay_simulator_private_key")
                                            .read_text()))

    assert refusal(result) == (
        "YONGXU_PRODUCTION=1 refuses to start:\n"
        f"- gateway 'alipay' uses a demo key generated under {tmp_path / 'secrets'} (private_key, alipay_public_key): "
        "set the credentials of your real merchant account.")


def test_every_problem_is_listed_at_once(tmp_path):
    result = start(tmp_path, production_env(tmp_path, DEBUG="1", YONGXU_SIMULATOR="1"))

    assert refusal(result).splitlines()[1:] == [
        "- unset DEBUG: it shows settings, card keys and tracebacks to anyone.",
        "- unset YONGXU_SIMULATOR: the built-in gateway simulator lets anyone mark an order paid."]
