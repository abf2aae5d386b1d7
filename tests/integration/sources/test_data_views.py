import pytest
from django.urls import reverse

from placewise.jobs.models import Job
from placewise.sharing import actors
from placewise.sources.actions import ingest_many
from placewise.sources.models import Load
from tests.conftest import store_snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(unshared_place):
    return unshared_place


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for name in ("home", "data:home", "data:upload"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_alice_sees_the_councils_loads_and_not_the_partners(client, people, loaded):
    client.force_login(people["alice"])
    page = client.get(reverse("data:home")).content.decode()
    assert "cin_census.xml" in page
    assert "health_ae_attendances.csv" not in page


def test_sources_are_summed_from_their_loads(client, people, loaded):
    client.force_login(people["bob"])
    sources = client.get(reverse("data:home")).context["sources"]
    health = next(o for o in loaded if o.file.name == "health_ae_attendances.csv")
    assert [(s["source"], s["loads"], s["rows"], s["events"]) for s in sources] == [
        ("northshire_health", 1, health.rows_loaded, health.events)
    ]


def test_bob_sees_his_trusts_loads_only(client, people, loaded):
    client.force_login(people["bob"])
    page = client.get(reverse("data:home")).content.decode()
    assert "health_ae_attendances.csv" in page and "cin_census.xml" not in page
    council_load = Load.objects.get(file_name="cin_census.xml")
    response = client.get(council_load.get_absolute_url())
    assert response.status_code == 403
    assert "Northshire Council" in response.content.decode()


def test_charlie_is_refused_with_the_reason(client, people, loaded):
    client.force_login(people["charlie"])
    for name in ("data:home", "data:upload"):
        response = client.get(reverse(name))
        assert response.status_code == 403
        text = response.content.decode()
        assert "practitioner at Northshire Police" in text


def test_a_load_shows_its_findings_row_by_row(client, people, place_copy, fresh_stores):
    path = place_copy / "council" / "ssda903" / "missing.csv"
    path.write_text(path.read_text() + "CH999999,01/01/2010,M,31/04/2024,\n")
    (outcome,) = ingest_many([path], by=actors.command_line(), run_dfe=False)
    client.force_login(people["alice"])
    page = client.get(outcome.load.get_absolute_url() + "?severity=error").content.decode()
    assert "Rejected" in page and "MIS_START" in page and "not a real date" in page


def test_alice_uploads_a_file_and_it_loads(client, people, small_place, fresh_stores, settings):
    settings.PLACEWISE_DFE_PYTHON = (
        "/nonexistent"  # this test is about the upload, not the DfE rules
    )
    client.force_login(people["alice"])
    with (small_place / "council" / "annex_a.xlsx").open("rb") as handle:
        response = client.post(reverse("data:upload"), {"file": handle})
    load = Load.objects.get()
    # The upload returns to its job's page (the job ran at once here), which links to the load.
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/data/jobs/{job.pk}/"
    job_page = client.get(response["Location"]).content.decode()
    assert f'href="/data/loads/{load.pk}/"' in job_page
    assert load.status == "loaded" and load.loaded_by == people["alice"]
    assert load.organisation.name.startswith("Northshire Council")


def test_an_uploaded_broken_workbook_is_rejected_with_a_reason(client, people, fresh_stores):
    client.force_login(people["alice"])
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("annex_a.xlsx", b"PK\x03\x04 this is not really a zip")
    before = store_snapshot()
    response = client.post(reverse("data:upload"), {"file": fake}, follow=True)
    text = response.content.decode()
    assert "damaged" in text or "not a readable Excel workbook" in text
    assert store_snapshot() == before


def test_an_upload_over_the_limit_is_refused_by_the_form(client, people, fresh_stores, settings):
    settings.PLACEWISE_MAX_UPLOAD_BYTES = 10
    client.force_login(people["alice"])
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("data:upload"), {"file": SimpleUploadedFile("a.csv", b"a,b\n1,2\n3,4\n")}
    )
    assert response.status_code == 200 and "over this place" in response.content.decode()
    assert Load.objects.count() == 0


def test_coming_sections_say_so_honestly(client, people):
    """A section still to be built says so; a built one has no 'coming' page (every section may
    be built by now, and then only the second half has anything to check)."""
    from placewise.web.navigation import SECTIONS

    client.force_login(people["alice"])
    for section in SECTIONS:
        answer = client.get(reverse("coming", kwargs={"section": section.slug}))
        if section.pages:
            assert answer.status_code == 404, section.slug
        else:
            assert "not built yet" in answer.content.decode(), section.slug
    assert client.get(reverse("coming", kwargs={"section": "nowhere"})).status_code == 404


def test_the_loads_read_as_a_person_reads_them(client, people, loaded):
    """Thousands separated, the command line named in words, and the tables reflowing at narrow
    widths with each cell labelled (its header is hidden there)."""
    health = Load.objects.get(file_name="health_ae_attendances.csv")
    Load.objects.filter(pk=health.pk).update(rows_loaded=1855, loaded_by_name="cli:root")
    client.force_login(people["bob"])
    page = client.get(reverse("data:home")).content.decode()
    assert '<table class="govuk-table pw-table--stack" data-testid="loads">' in page
    assert '<table class="govuk-table pw-table--stack" data-testid="sources">' in page
    assert (
        '<td data-label="Loaded" class="govuk-table__cell govuk-table__cell--numeric pw-numeric">1,855</td>'
        in page
    )
    assert "the command line (root)" in page and "cli:root" not in page
    detail = client.get(reverse("data:load", args=[health.pk])).content.decode()
    assert "1,855 loaded" in detail and "the command line (root)" in detail
