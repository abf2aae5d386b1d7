import json
import shutil
import subprocess
import sys

import pytest

from placewise.cli import main
from tests.conftest import store_snapshot

pytestmark = pytest.mark.django_db


def test_synth_writes_a_place(tmp_path, capsys):
    assert (
        main(
            [
                "synth",
                "--out",
                str(tmp_path / "p"),
                "--children",
                "120",
                "--years",
                "2",
                "--seed",
                "5",
                "--quiet",
            ]
        )
        == 0
    )
    assert (tmp_path / "p" / "council" / "annex_a.xlsx").exists()
    assert (tmp_path / "p" / "_truth" / "persons.csv").exists()
    assert "120 children" in capsys.readouterr().out


def test_ingest_exit_codes(small_place, fresh_stores, tmp_path, capsys):
    good = small_place / "partners" / "police_domestic_abuse.csv"
    assert main(["ingest", "--no-dfe", "--quiet", str(good)]) == 0
    bad = tmp_path / "empty.csv"
    bad.write_bytes(b"")
    before = store_snapshot()
    assert main(["ingest", "--no-dfe", "--quiet", str(bad)]) == 1
    assert store_snapshot() == before
    out = capsys.readouterr().out
    assert "empty (0 bytes)" in out
    assert main(["ingest"]) == 2
    assert main(["no-such-command"]) == 2


def test_dry_run_validates_only(small_place, fresh_stores, capsys):
    path = small_place / "council" / "annex_a.xlsx"
    assert main(["ingest", "--dry-run", "--no-dfe", "--quiet", str(path)]) == 0
    assert "nothing was written" in capsys.readouterr().out
    assert all(not rows for rows in store_snapshot().values())


def test_a_partner_csv_with_an_explicit_mapping(small_place, fresh_stores, tmp_path, capsys):
    csv_path = tmp_path / "exported_by_police.csv"
    shutil.copy(small_place / "partners" / "police_missing_reports.csv", csv_path)
    mapping = small_place / "partners" / "police_missing_reports.toml"
    assert main(["ingest", "--no-dfe", "--quiet", str(csv_path)]) == 1  # no mapping: not known
    assert main(["ingest", "--no-dfe", "--quiet", "--mapping", str(mapping), str(csv_path)]) == 0


def test_status_json(small_place, fresh_stores, capsys):
    main(["ingest", "--no-dfe", "--quiet", str(small_place / "council" / "cin_census.xml")])
    capsys.readouterr()
    assert main(["status", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["loads"][0]["status"] == "loaded"
    assert report["stores"]["analytic"]["events"] == report["loads"][0]["events"] > 0
    assert report["stores"]["enclave"]["identities"] == report["loads"][0]["identities"]


def test_the_installed_command_runs(tmp_path):
    placewise = shutil.which("placewise") or str(
        __import__("pathlib").Path(sys.executable).parent / "placewise"
    )
    result = subprocess.run(
        [
            placewise,
            "synth",
            "--out",
            str(tmp_path / "p"),
            "--children",
            "50",
            "--years",
            "1",
            "--quiet",
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.slow  # builds and loads the demo place
@pytest.mark.postgres  # its people, agreements and the people half are operational rows
def test_demo_builds_a_place_its_users_and_agreement(
    settings, tmp_path, fresh_stores, capsys, monkeypatch
):
    from django.contrib.auth import authenticate

    from placewise.sharing.audit import verify
    from placewise.sharing.models import Agreement
    from placewise.sources.models import Load
    from placewise.synth.place import council_files

    settings.PLACEWISE_HOME = tmp_path / "home"
    monkeypatch.setenv("PLACEWISE_DEMO_PASSWORD", "a-demo-password-for-tests")
    assert main(["demo", "--children", "150", "--years", "2", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "a-demo-password-for-tests" in out and "alice" in out
    for username in ("alice", "bob", "charlie"):
        assert authenticate(username=username, password="a-demo-password-for-tests") is not None
    assert Agreement.objects.get().status == "active"
    place_files = list(council_files(tmp_path / "home" / "synthetic-place"))
    assert Load.objects.filter(status="loaded").count() == len(place_files)
    # The people half, made through its apps' actions: every origin of the follow-up engine the
    # demo uses has actions, and the pages of issues 17 and 18 have something true to show.
    from placewise.leadership.models import Plan
    from placewise.practice.models import PeerReview
    from placewise.reviews.models import Action
    from placewise.service_reviews.models import ReviewMeeting
    from placewise.supervision.models import SupervisionSession
    from placewise.surveys.models import Round

    origins = set(Action.objects.values_list("origin", flat=True))
    assert {"supervision", "review_meeting", "experiment", "coaching", "initiative"} <= origins
    assert PeerReview.objects.count() >= 10 and SupervisionSession.objects.exists()
    assert ReviewMeeting.objects.exists() and Plan.objects.filter(person__username="alice")
    assert Round.objects.filter(person__username="alice").count() == 2
    assert verify().ok


def test_authenticator_prints_the_code_an_app_would_show(capsys):
    import pyotp

    key = "JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP"
    assert main(["authenticator", "--key", key]) == 0
    printed = capsys.readouterr().out.strip()
    # The same code an independent TOTP implementation gives for this key now (or a step later).
    totp = pyotp.TOTP("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    assert printed in {totp.now(), totp.at(__import__("time").time() + 30)}


def test_malformed_arguments_get_a_clear_usage_error(capsys):
    assert main(["retention", "apply", "--today", "31/02/2026"]) == 2
    assert "is not a date in the form YYYY-MM-DD" in capsys.readouterr().err
    assert main(["authenticator", "--key", "not a key!"]) == 2
    assert "not an authenticator key" in capsys.readouterr().err
