"""Settings read from the environment that need more than a type cast, each checked as it is
read: a value that cannot be used stops the process with a message naming its variable and
what is wrong, instead of a KeyError or a traceback from deep inside a library."""

import ipaddress
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

# The operational databases placewise runs on (backups use each one's own tools: ADR 0026).
DATABASES = {
    "django.db.backends.sqlite3": "SQLite",
    "django.db.backends.postgresql": "PostgreSQL",
}
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
_GIVE = (
    "Give postgres://user:password@host:port/name, or leave it empty for SQLite in PLACEWISE_HOME."
)


def _scheme(url: str) -> str:
    scheme = url.partition("://")[0] if "://" in url else ""
    return f"it starts {scheme}://" if scheme else "it has no scheme"


def database(value: str | None, *, default: str) -> dict[str, Any]:
    """Django's database settings from DATABASE_URL. Unset or empty means the default (SQLite in
    the home): an environment file with `DATABASE_URL=` is a common way to leave it unset."""
    url = (value or "").strip() or default
    try:
        found = dict(dj_database_url.parse(url, conn_max_age=60))
    except dj_database_url.UnknownSchemeError:
        raise ImproperlyConfigured(
            f"DATABASE_URL does not start with postgres:// (or sqlite://): {_scheme(url)}. {_GIVE}"
        ) from None
    except ValueError:
        # Not the library's message, nor the value: either could show the password.
        raise ImproperlyConfigured(
            "DATABASE_URL is not a valid URL: a character in the user, password or database "
            f"name may need %-encoding (%40 for @, %2F for /, %3A for :). {_GIVE}"
        ) from None
    engine = found.get("ENGINE", "")
    if engine not in DATABASES:
        raise ImproperlyConfigured(
            f"DATABASE_URL names a database placewise does not run on ({engine}). {_GIVE}"
        )
    if not found.get("NAME"):
        raise ImproperlyConfigured(
            "DATABASE_URL names no database: add its name after the host, as in "
            "postgres://placewise@/placewise."
        )
    return found


def networks(value: str | None, *, variable: str) -> tuple[Network, ...]:
    """Addresses and networks, comma-separated (192.0.2.10, 10.0.0.0/8, ::1)."""
    found = []
    for part in (value or "").split(","):
        if not (part := part.strip()):
            continue
        try:
            found.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"{variable}: {part!r} is not an IP address or network (as 127.0.0.1 or "
                "10.0.0.0/8); give them separated by commas."
            ) from None
    return tuple(found)
