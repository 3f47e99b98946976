"""gunicorn's access log without secrets: ``--logger-class yongxu.ops.accesslog.RedactedAccessLogger``
(``yongxu demo`` uses it). Order, ticket, bypass and signed links, secret query values, the Referer that
repeats them and secret headers are written as ``[redacted]`` (``yongxu.core.redact``)."""

from gunicorn.glogging import Logger

from yongxu.core.redact import REDACTED, SECRET_HEADERS, redact


def _header(atom: str) -> str:
    """The header an atom shows: ``{cookie}i`` and ``{http_cookie}e`` are both ``cookie``."""
    if atom.endswith(("}i", "}o")):
        return atom[1:-2]
    if atom.startswith("{http_") and atom.endswith("}e"):
        return atom[6:-2].replace("_", "-")
    return ""


class RedactedAccessLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for name, value in atoms.items():
            if not isinstance(value, str) or not value:
                continue
            if _header(name) in SECRET_HEADERS:
                atoms[name] = REDACTED
            elif name in ("q", "{query_string}e"):
                atoms[name] = redact(f"?{value}")[1:]
            else:
                atoms[name] = redact(value)
        return atoms
