"""The production web server and what its workers share (issue 16, item 2; ADR 0022):
`placewise serve` runs gunicorn with the workers asked for; sign-in throttling holds across
processes; a page view writes the session at most once a minute."""

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from placewise.web.security import SessionKeptAlive

PASSWORD = "a long right password 7"

# One process's attempts to sign in as someone, each password in turn: what each came to.
SIGN_IN = """
import sys
import django
django.setup()
from placewise import cli
cli._django()  # migrates, and makes the cache's table, as every command does
from django.contrib.auth import get_user_model
from django.test import Client

address, username, right = sys.argv[1:4]
if not get_user_model().objects.filter(username=username).exists():
    get_user_model().objects.create_user(username, password=right)
client = Client(REMOTE_ADDR=address)
said = []
for password in sys.argv[4:]:
    page = client.post("/login/", {"username": username, "password": password})
    text = page.content.decode()
    said.append(
        "throttled" if "Too many failed attempts" in text
        else "signed in" if page.status_code == 302
        else "refused"
    )
print(" ".join(said))
"""


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("server-home")


def environment(home: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "PLACEWISE_HOME": str(home),
        "DJANGO_SETTINGS_MODULE": "placewise.config.settings",
    }
    env.pop("DATABASE_URL", None)  # the home's own SQLite file, shared by the processes
    return env


def sign_in(home: Path, address: str, username: str, *passwords: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", SIGN_IN, address, username, PASSWORD, *passwords],
        env=environment(home),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.mark.slow
def test_sign_in_throttling_holds_across_processes(home):
    # Five wrong passwords for one person in 15 minutes lock them out (sharing/lockout.py):
    # three in one process and two in another are five, from two addresses.
    first = sign_in(home, "10.0.0.1", "alice", "wrong 1", "wrong 2", "wrong 3")
    assert first == "refused refused refused"
    second = sign_in(home, "10.0.0.2", "alice", "wrong 4", "wrong 5", PASSWORD)
    assert second == "refused refused throttled"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


@pytest.mark.slow
def test_serve_runs_gunicorn_with_the_workers_asked_for(home):
    sign_in(home, "10.0.0.9", "bea")  # the home migrated, bea made; no attempt yet
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "placewise.cli", "serve", "--port", str(port), "--workers", "3"],
        env=environment(home),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"{url}/login/", timeout=60) as page:  # noqa: S310
                    assert page.status == 200
                    assert page.headers["Server"].startswith("gunicorn")
                    break
            except (urllib.error.URLError, OSError):  # not listening yet
                assert server.poll() is None, server.stdout.read() if server.stdout else ""
                time.sleep(1)
        else:
            pytest.fail("the server did not answer within two minutes")
        with open(f"/proc/{server.pid}/cmdline", "rb") as own:
            command = own.read()
        workers = [
            child
            for child in children_of(server.pid)
            if Path(f"/proc/{child}/cmdline").read_bytes() == command
        ]
        assert len(workers) == 3  # forked from the master, so the same command line

        # The sign-in page works through the real server, across its workers: five wrong
        # passwords from one browser, then the right one is refused until the lock lifts.
        jar = http.cookiejar.CookieJar()
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        said = []
        for password in ("w1", "w2", "w3", "w4", "w5", PASSWORD):
            with browser.open(f"{url}/login/", timeout=30) as page:
                token = re.search(
                    r'name="csrfmiddlewaretoken" value="([^"]+)"', page.read().decode()
                )
            assert token is not None
            form = {
                "csrfmiddlewaretoken": token.group(1),
                "username": "bea",
                "password": password,
            }
            with browser.open(
                f"{url}/login/", urllib.parse.urlencode(form).encode(), timeout=30
            ) as page:
                said.append("Too many failed attempts" in page.read().decode())
        assert said == [False] * 5 + [True]
    finally:
        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=60)
    assert server.returncode == 0, output
    assert not children_of(server.pid)  # its workers and job runner stopped with it


def test_a_page_view_writes_the_session_at_most_once_a_minute(client, people):
    client.force_login(people["bob"])
    client.get("/public/")  # the session marked as kept alive now
    key = client.session.session_key
    written = Session.objects.get(session_key=key).expire_date
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/public/").status_code == 200
    writes = [q["sql"] for q in queries if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE")]
    assert writes == []
    assert Session.objects.get(session_key=key).expire_date == written

    # As if the last write was 25 minutes ago: the next page keeps the session alive for 30
    # minutes from now.
    session = client.session
    session[SessionKeptAlive.KEY] = int((timezone.now() - timedelta(minutes=25)).timestamp())
    session.save()
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() + timedelta(minutes=5)
    )
    client.get("/public/")
    renewed = Session.objects.get(session_key=key).expire_date
    assert renewed > timezone.now() + timedelta(minutes=29)


@pytest.mark.django_db(transaction=True)  # the worker thread reads what the test wrote
def test_pages_are_served_the_last_figures_worked_out_while_the_next_are(fresh_stores, monkeypatch):
    from django.core.cache import caches

    from placewise.outcomes import data
    from placewise.sharing import versions
    from placewise.sharing.models import Version

    monkeypatch.setattr(data, "BACKGROUND", True)  # as under placewise serve
    shared = caches["default"]
    assert data.version() == "0"  # nothing worked out yet: worked out at once
    assert shared.get(data.READY) == 0

    versions.bump(Version.Of.DATA, reason="a load committed")
    # Another process is working version 1 out: this one serves 0 and starts nothing.
    assert shared.add(data.REFRESHING, 1)
    assert data.version() == "0"
    assert data.refresh_in_background(1) is None
    shared.delete(data.REFRESHING)

    # Nobody is: the next page is still served 0, and starts one thread to work 1 out.
    assert data.version() == "0"
    for _ in range(600):
        if shared.get(data.READY) == 1:
            break
        time.sleep(0.1)
    assert shared.get(data.READY) == 1
    assert data.version() == "1"
    assert shared.get(data.REFRESHING) is None  # let go when done
