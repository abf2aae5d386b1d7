import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
REPO = Path(__file__).resolve().parents[3]


def test_responses_carry_a_content_security_policy_and_no_inline_script(client, people):
    client.force_login(people["alice"])
    response = client.get(reverse("home"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", response.content.decode())


def test_sign_in_is_throttled_after_repeated_failures(client, people):
    for _ in range(5):
        client.post(reverse("login"), {"username": "alice", "password": "wrong-password-x"})
    response = client.post(
        reverse("login"), {"username": "alice", "password": "correct-horse-battery"}
    )
    assert response.status_code == 200  # the form again, not a redirect into the app
    assert "Too many failed attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_correct_sign_in_works_and_the_session_times_out_when_idle(client, people):
    response = client.post(
        reverse("login"), {"username": "bob", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert client.session.get_expiry_age() == 30 * 60


def test_deploy_checks_are_clean_in_production_settings(tmp_path):
    env = {
        **os.environ,
        "PLACEWISE_PRODUCTION": "1",
        "PLACEWISE_HOME": str(tmp_path),
        "PLACEWISE_ALLOWED_HOSTS": "placewise.example.org",
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests only
    result = subprocess.run(
        [sys.executable, str(REPO / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
