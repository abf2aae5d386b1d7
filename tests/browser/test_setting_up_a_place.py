"""An administrator sets a place up from nothing in the browser (issue 16, item 1): after
`placewise init`, two organisations, a source with its mapping file, three people invited by link
(each chooses a password and sets up an authenticator), and an agreement drafted by one data owner
and approved by both; then the trust's analyst loads its first file through a job, follows the
job's page to the end and opens the load's findings."""

from pathlib import Path

import pyotp
import pytest
from playwright.sync_api import expect

from placewise.cli import main
from placewise.sharing.models import Agreement, AuditEntry
from tests.browser.conftest import accessibility_violations, screenshot
from tests.browser.test_jobs import run_queued_jobs, upload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADMIN_PASSWORD = "a-long-unusual-passphrase-42"
TRUST = "Southshire NHS Foundation Trust"
MAPPING = """[source]
name = "southshire_health"
organisation = "Southshire NHS Foundation Trust"
[identity]
record_id = "MRN"
[[events]]
kind = "ae_attendance"
start = "AttendanceDate"
"""


def _set_up_authenticator(page, key_box: str = "totp-key") -> None:
    """Type the key the page shows into an authenticator (pyotp), and its code back."""
    page.wait_for_url(lambda url: "/second-factor/setup/" in url)
    key = page.get_by_test_id(key_box).inner_text().replace(" ", "")
    page.fill("#code", pyotp.TOTP(key).now())
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(lambda url: "/second-factor/" not in url)


def _invite(page, base: str, full_name: str, username: str, organisation: str, role: str) -> str:
    page.goto(f"{base}/governance/people/invite/")
    page.fill("#id_full_name", full_name)
    page.fill("#id_username", username)
    page.select_option("#id_organisation", label=organisation)
    page.select_option("#id_role", label=role)
    page.get_by_role("button", name="Make the invitation link").click()
    expect(page.get_by_role("heading", name="Invitation made")).to_be_visible()
    return page.get_by_test_id("invitation-link").inner_text()


def _join(page, link: str, password: str) -> None:
    """The invited person opens their link, chooses a password and sets up an authenticator."""
    page.goto(link)
    page.fill("#id_password1", password)
    page.fill("#id_password2", password)
    page.get_by_role("button", name="Set my password").click()
    _set_up_authenticator(page)


def test_an_administrator_sets_up_a_place_from_nothing(
    new_page, live_server, tmp_path: Path, settings
):
    # A place of its own: its stores, the jobs' folders and a queue a worker takes jobs from.
    settings.PLACEWISE_HOME = tmp_path
    settings.PLACEWISE_ANALYTIC_DB = tmp_path / "analytic.duckdb"
    settings.PLACEWISE_ENCLAVE_DB = tmp_path / "enclave.duckdb"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    base = live_server.url
    (tmp_path / "first.password").write_text(ADMIN_PASSWORD + "\n")
    (tmp_path / "place.toml").write_text(
        '[place]\nname = "Southshire"\n[council]\nname = "Southshire Council"\n'
        '[administrator]\nusername = "sam"\nfull_name = "Sam Shah"\n'
        'password_file = "first.password"\n'
    )
    assert main(["init", "--from", str(tmp_path / "place.toml")]) == 0

    # The administrator signs in and must set up a second factor before anything else.
    admin = new_page()
    admin.goto(f"{base}/governance/organisations/")
    admin.fill("#id_username", "sam")
    admin.fill("#id_password", ADMIN_PASSWORD)
    admin.get_by_role("button", name="Sign in").click()
    _set_up_authenticator(admin)

    # Two organisations; a blank one first, refused naming both fields.
    admin.goto(f"{base}/governance/organisations/")
    admin.get_by_role("button", name="Add the organisation").click()
    expect(admin.locator(".govuk-error-summary__list li")).to_have_text(
        ["Enter organisation name", "Select kind of organisation"]
    )
    assert admin.title().startswith("Error: ")
    for name, kind in ((TRUST, "NHS trust"), ("Southshire Police", "Police force")):
        admin.fill("#id_name", name)
        admin.select_option("#id_kind", label=kind)
        admin.get_by_role("button", name="Add the organisation").click()
        expect(admin.get_by_test_id("organisations")).to_contain_text(name)

    # The trust's source, declared with its mapping file (checked by the loader's reader).
    admin.goto(f"{base}/governance/sources/")
    admin.fill("#id_name", "southshire_health")
    admin.select_option("#id_organisation", label=TRUST)
    admin.set_input_files(
        "#id_mapping",
        files=[{"name": "ae.toml", "mimeType": "application/toml", "buffer": MAPPING.encode()}],
    )
    admin.get_by_role("button", name="Check and declare").click()
    expect(admin.get_by_test_id("sources")).to_contain_text("A&E attendance")

    # Three people by invitation: each link is used by the person it was made for.
    links = {
        "alice": _invite(admin, base, "Alice Adeyemi", "alice", "Southshire Council", "Data owner"),
        "dana": _invite(admin, base, "Dana Okafor", "dana", TRUST, "Data owner"),
        "bob": _invite(admin, base, "Bob Bennett", "bob", TRUST, "Analyst"),
    }
    screenshot(admin, "setting-up-invitation-made")
    people = {}
    for username, link in links.items():
        people[username] = new_page()
        _join(people[username], link, f"{username}-chooses-a-long-password")
    # A link works once.
    people["bob"].goto(links["bob"])
    expect(people["bob"].get_by_test_id("refusal")).to_contain_text("This invitation was used on")

    admin.goto(f"{base}/governance/organisations/")
    owners = admin.get_by_test_id("organisations")
    expect(owners.get_by_role("row", name="Southshire Council")).to_contain_text("Alice Adeyemi")
    expect(owners.get_by_role("row", name=TRUST)).to_contain_text("Dana Okafor")
    screenshot(admin, "setting-up-organisations")
    assert accessibility_violations(admin) == []

    # Alice drafts the agreement between the council and the trust, and says what is shared.
    alice = people["alice"]
    alice.goto(f"{base}/governance/agreements/new/")
    alice.fill("#id_title", "Southshire safeguarding")
    alice.fill("#id_purpose", "Safeguarding decisions made with what both partners know.")
    alice.select_option("#id_purpose_category", label="Safeguarding children")
    alice.select_option("#id_article6", index=1)
    alice.fill("#id_statutes", "Children Act 1989 s47")
    alice.get_by_label("Southshire Council").check()
    alice.get_by_label(TRUST).check()
    alice.fill("#id_retention_days", "2555")
    alice.fill("#id_review_date-day", "31")
    alice.fill("#id_review_date-month", "3")
    alice.fill("#id_review_date-year", "2099")
    alice.get_by_role("button", name="Save the draft").click()
    expect(alice.get_by_test_id("status")).to_have_text("Draft")
    alice.select_option("#id_source", value="southshire_health")
    alice.select_option("#id_recipient", label="Southshire Council")
    alice.select_option("#id_level", label="Person-level")
    alice.get_by_label("A&E attendance").check()
    alice.get_by_role("button", name="Add to the agreement").click()
    expect(alice.get_by_test_id("datasets")).to_contain_text("A&E attendance")
    alice.get_by_role("button", name="Approve for Southshire Council").click()
    expect(alice.get_by_test_id("status")).to_have_text("Draft")
    # Alice cannot approve for the trust: only its data owner is offered the button.
    expect(alice.get_by_role("button", name=f"Approve for {TRUST}")).to_have_count(0)
    agreement_url = alice.url

    dana = people["dana"]
    dana.goto(agreement_url)
    dana.get_by_role("button", name=f"Approve for {TRUST}").click()
    expect(dana.get_by_test_id("status")).to_have_text("Active")
    screenshot(dana, "setting-up-agreement-active")
    assert accessibility_violations(dana) == []

    agreement = Agreement.objects.get(title="Southshire safeguarding")
    assert agreement.status == "active"
    assert [p.organisation.name for p in agreement.parties.exclude(approved_at=None)] == [
        "Southshire Council",
        TRUST,
    ]
    # Every step was an audited action, taken by the person who took it.
    steps = set(AuditEntry.objects.values_list("actor", "action"))
    assert {
        ("sam", "organisation.add"),
        ("sam", "source.declare"),
        ("sam", "person.invite"),
        ("alice", "person.join"),
        ("bob", "person.join"),
        ("dana", "person.join"),
        ("alice", "agreement.draft"),
        ("alice", "agreement.approve"),
        ("dana", "agreement.approve"),
    } <= steps

    # Bob, the trust's analyst, loads its first file: three attendances, one with no MRN. The
    # form returns at once to the job's page; a worker takes the job; the page follows it.
    attendances, mapping = tmp_path / "ae.csv", tmp_path / "ae.toml"
    attendances.write_text(
        "MRN,AttendanceDate\nM1,03/01/2025\n,04/01/2025\nM3,05/01/2025\n", encoding="utf-8"
    )
    mapping.write_text(MAPPING, encoding="utf-8")
    bob = people["bob"]
    upload(bob, base, attendances, mapping)
    expect(bob.get_by_role("heading", name="Load a file: ae.csv")).to_be_visible()
    expect(bob.get_by_text("Waiting to start")).to_be_visible()
    run_queued_jobs()
    outcome = bob.get_by_test_id("job-outcome")
    expect(outcome).to_be_visible(timeout=20_000)
    assert "Finished" in outcome.inner_text()
    assert "1 row with errors left out" in outcome.inner_text()
    screenshot(bob, "setting-up-first-load")
    bob.get_by_test_id("load-link").click()
    bob.get_by_role("link", name="Errors").click()
    found = bob.get_by_test_id("issues").inner_text()
    assert "MRN" in found and "no record identifier" in found
    assert ("bob", "load.loaded") in set(AuditEntry.objects.values_list("actor", "action"))
