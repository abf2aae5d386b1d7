"""Settings from the environment that are checked as they are read (config/environment.py): an
empty DATABASE_URL is the default SQLite, and a value that cannot be used stops the process
with a message naming its variable, never a KeyError from inside the settings."""

import ipaddress
import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from placewise.config.environment import database, networks

DEFAULT = "sqlite:////srv/home/placewise.sqlite3"


def test_an_unset_or_empty_database_url_is_the_default_sqlite():
    for value in (None, "", "   "):
        found = database(value, default=DEFAULT)
        assert found["ENGINE"] == "django.db.backends.sqlite3"
        assert found["NAME"] == "/srv/home/placewise.sqlite3"


def test_a_postgres_url_is_read_whole():
    found = database("postgres://placewise:pw@db.example:5433/place", default=DEFAULT)
    assert (found["ENGINE"], found["HOST"], found["PORT"], found["NAME"], found["USER"]) == (
        "django.db.backends.postgresql",
        "db.example",
        5433,
        "place",
        "placewise",
    )
    assert found["CONN_MAX_AGE"] == 60


@pytest.mark.parametrize(
    ("value", "said"),
    [
        (
            "placewise@localhost/placewise",
            "does not start with postgres:// (or sqlite://): it has no scheme",
        ),
        (
            "postgress://u@h/db",
            "does not start with postgres:// (or sqlite://): it starts postgress://",
        ),
        ("postgres://u:secret@h:notaport/db", "is not a valid URL"),
        ("mysql://u@h/db", "names a database placewise does not run on (django.db.backends.mysql)"),
        ("postgres://placewise@localhost", "names no database"),
    ],
)
def test_a_database_url_that_cannot_be_used_is_refused_naming_the_setting(value, said):
    with pytest.raises(ImproperlyConfigured) as refused:
        database(value, default=DEFAULT)
    message = str(refused.value)
    assert message.startswith("DATABASE_URL ") and said in message
    assert "secret" not in message  # the password is never repeated back


def test_trusted_proxies_are_addresses_and_networks():
    assert networks(" 127.0.0.1, 10.0.0.0/8,::1 ,", variable="PLACEWISE_TRUSTED_PROXIES") == (
        ipaddress.ip_network("127.0.0.1/32"),
        ipaddress.ip_network("10.0.0.0/8"),
        ipaddress.ip_network("::1/128"),
    )
    assert networks("", variable="PLACEWISE_TRUSTED_PROXIES") == ()
    with pytest.raises(ImproperlyConfigured, match=r"^PLACEWISE_TRUSTED_PROXIES: 'nginx' is not"):
        networks("127.0.0.1,nginx", variable="PLACEWISE_TRUSTED_PROXIES")


def _settings_with(tmp_path, **environment: str) -> subprocess.CompletedProcess[str]:
    """The settings module imported in a fresh interpreter with this environment."""
    env = {**os.environ, "PLACEWISE_HOME": str(tmp_path), **environment}
    script = "import placewise.config.settings as s; print(s.DATABASES['default']['ENGINE'])"
    return subprocess.run(  # nosec B603  # this interpreter, a fixed script
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=False
    )


def test_settings_load_with_an_empty_database_url_and_refuse_a_malformed_one(tmp_path):
    empty = _settings_with(tmp_path, DATABASE_URL="")
    assert empty.returncode == 0, empty.stderr
    assert empty.stdout.strip() == "django.db.backends.sqlite3"
    malformed = _settings_with(tmp_path, DATABASE_URL="placewise@localhost/placewise")
    assert malformed.returncode != 0
    assert "KeyError" not in malformed.stderr
    assert "ImproperlyConfigured: DATABASE_URL does not start with postgres://" in (
        malformed.stderr
    )
