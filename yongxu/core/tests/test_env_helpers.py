import pytest
from django.core.exceptions import ImproperlyConfigured

from yongxu.core.env import env_bool, env_int, env_list, env_str


def test_values_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("YX_T_INT", "42")
    monkeypatch.setenv("YX_T_BOOL", "yes")
    monkeypatch.setenv("YX_T_LIST", "a, b,,c")

    assert env_int("YX_T_INT", 1) == 42
    assert env_bool("YX_T_BOOL") is True
    assert env_list("YX_T_LIST") == ["a", "b", "c"]
    assert env_str("YX_T_MISSING", "default") == "default"


@pytest.mark.parametrize(("helper", "value"), [(env_int, "4x"), (env_bool, "maybe")])
def test_malformed_values_are_refused_with_the_variable_named(monkeypatch, helper, value):
    monkeypatch.setenv("YX_T_BAD", value)

    with pytest.raises(ImproperlyConfigured, match="YX_T_BAD"):
        helper("YX_T_BAD", 1) if helper is env_int else helper("YX_T_BAD")


def test_a_value_below_its_minimum_is_refused(monkeypatch):
    monkeypatch.setenv("YX_T_MIN", "0")

    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env_int("YX_T_MIN", 5, minimum=1)


def test_secrets_can_come_from_a_file(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("s3cret\n")
    monkeypatch.setenv("YX_T_SECRET_FILE", str(secret))

    assert env_str("YX_T_SECRET") == "s3cret"


def test_an_unreadable_secret_file_is_refused(monkeypatch, tmp_path):
    monkeypatch.setenv("YX_T_SECRET_FILE", str(tmp_path / "missing"))

    with pytest.raises(ImproperlyConfigured, match="YX_T_SECRET_FILE"):
        env_str("YX_T_SECRET")
