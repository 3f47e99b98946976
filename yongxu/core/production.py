"""What ``YONGXU_PRODUCTION=1`` refuses at start-up. settings.py calls ``refuse_unsafe_production`` once
everything is read; each problem is one sentence that names what to set. Softer problems (SQLite in
production, a plain-http site URL) are system checks in ``yongxu/ops/checks.py`` instead."""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

# Without these a production shop is not safe (secrets), not reachable (hosts, the URL gateways call
# back) or keeps its money in a file under var/ by accident (the database).
REQUIRED = ("SECRET_KEY", "YONGXU_KEY_ENCRYPTION_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "YONGXU_SITE_URL")

# The environment variable that sets each gateway's URLs, for the message.
GATEWAY_URL_SETTINGS = {
    "epay": {"gateway_url": "EPAY_GATEWAY_URL"},
    "stripe": {"api_base": "STRIPE_API_BASE"},
    "alipay": {"gateway_url": "ALIPAY_GATEWAY_URL"},
    "wechat": {"api_base": "WECHAT_API_BASE"},
    "epusdt": {"api_base": "EPUSDT_API_BASE"},
    "paypal": {"api_base": "PAYPAL_API_BASE", "cert_url_prefixes": "PAYPAL_CERT_URL_PREFIXES"},
}
_NOT_CREDENTIALS = {"class", "enabled", "simulated", "label", "tolerance", "token", "network", "currency"}


def unsafe_production_settings(*, missing: list[str], debug: bool, simulator: bool, site_url: str,
                               key_encryption_key: str, providers: dict[str, dict], epay_unset: list[str],
                               secrets_dir: Path) -> list[str]:
    """Every reason this configuration must not serve buyers, as sentences saying what to set."""
    problems = []
    if missing:
        problems.append(f"set {_and(missing)} in the environment (or as NAME_FILE): production has no "
                        "generated secrets, no default hosts, database or site URL.")
    if debug:
        problems.append("unset DEBUG: it shows settings, card keys and tracebacks to anyone.")
    if simulator:
        problems.append("unset YONGXU_SIMULATOR: the built-in gateway simulator lets anyone mark an order paid.")
    if key_encryption_key and not _is_fernet_key(key_encryption_key):
        problems.append("YONGXU_KEY_ENCRYPTION_KEY must be a Fernet key (32 bytes, url-safe base64): make one with "
                        "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'.")
    enabled = {name: config for name, config in providers.items() if config.get("enabled")}
    if "epay" in enabled and epay_unset:
        problems.append(f"Epay is on but {_and(epay_unset)} {'is' if len(epay_unset) == 1 else 'are'} not set: "
                        "configure your Epay merchant account or turn it off with EPAY_ENABLED=0 (the demo's "
                        "generated key is never used in production).")
    demo_secrets = _demo_secrets(secrets_dir)
    for name, config in enabled.items():
        if config.get("simulated"):
            continue  # on only because the simulator is, which is refused above
        variables = [variable for key, variable in GATEWAY_URL_SETTINGS.get(name, {}).items()
                     if variable not in epay_unset and any(_points_at_simulator(url, site_url)
                                                           for url in _urls(config.get(key)))]
        if variables:
            problems.append(f"gateway {name!r} points at the built-in simulator: set {_and(variables)} "
                            f"to the gateway's real URL, or turn {name} off.")
        demo_keys = [key for key, value in config.items() if key not in _NOT_CREDENTIALS and isinstance(value, str)
                     and _is_demo_secret(value, demo_secrets, secrets_dir)]
        if demo_keys:
            problems.append(f"gateway {name!r} uses a demo key generated under {secrets_dir} ({', '.join(demo_keys)}): "
                            "set the credentials of your real merchant account.")
    return problems


def refuse_unsafe_production(**facts) -> None:
    """Raise ImproperlyConfigured listing every problem ``unsafe_production_settings`` finds."""
    problems = unsafe_production_settings(**facts)
    if problems:
        raise ImproperlyConfigured("YONGXU_PRODUCTION=1 refuses to start:\n" + "\n".join(f"- {p}" for p in problems))


def _is_fernet_key(key: str) -> bool:
    from cryptography.fernet import Fernet

    try:
        Fernet(key.encode())
    except ValueError:
        return False
    return True


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _urls(value) -> list[str]:
    return [value] if isinstance(value, str) else list(value or [])


def _points_at_simulator(url: str, site_url: str) -> bool:
    return url.rstrip("/").startswith(f"{site_url.rstrip('/')}/simulator")


def _demo_secrets(folder: Path) -> set[str]:
    """What the demo generated under var/secrets/ (gateway keys it printed, simulator key pairs)."""
    if not folder.is_dir():
        return set()
    values = set()
    for path in folder.iterdir():
        try:
            values.add(path.read_text(encoding="utf-8").strip())
        except (OSError, UnicodeDecodeError):
            continue
    return values - {""}


def _is_demo_secret(value: str, demo_secrets: set[str], folder: Path) -> bool:
    value = value.strip()
    if not value:
        return False
    if value in demo_secrets:
        return True
    # A key given as a PEM file's path: a path into var/secrets/ is the demo's own key file.
    if "/" in value and "://" not in value and "\n" not in value and len(value) < 4096:
        try:
            return Path(value).resolve().is_relative_to(folder.resolve())
        except (OSError, ValueError):
            return False
    return False
