"""A partner's upload as its uploader meets it (issue 15, item 1): a refused or rejected load is
theirs, listed in Data with every reason; a row's every problem is listed; and the form offers
what the command line offers, loading the good rows and listing the rest."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from placewise.sources.models import Load
from tests.factories import SCHOOL_NURSING_MAPPING

pytestmark = pytest.mark.django_db

MAPPING = SCHOOL_NURSING_MAPPING
# Row 3 has two problems: no record ID, and a contact date that is not a date.
CSV = (
    b"Ref,Forename,Surname,DOB,Seen\n"
    b"SN1,Amy,Smith,03/04/2012,01/02/2024\n"
    b",Ben,Jones,05/06/2013,31/02/2024\n"
    b"SN3,Cara,Khan,07/08/2014,03/02/2024\n"
)


def _upload(client, **options):
    files = {
        "file": SimpleUploadedFile("nursing.csv", CSV),
        "mapping": SimpleUploadedFile("nursing.toml", MAPPING),
    }
    return client.post(reverse("data:upload"), {**files, **options}, follow=True)


def test_a_rejected_file_is_the_uploaders_and_lists_every_problem_in_a_row(
    client, people, fresh_stores
):
    client.force_login(people["bob"])
    response = _upload(client)
    assert response.status_code == 200
    load = Load.objects.get()
    assert load.status == Load.Status.REJECTED
    assert load.organisation == people["orgs"]["health"] and load.events == 0
    assert "the upload form's option" in load.message
    problems = sorted((i.row, i.column) for i in load.issues.filter(severity="error") if i.row == 3)
    assert [column for _, column in problems] == ["Ref", "Seen"]  # both, not the first
    home = client.get(reverse("data:home")).content.decode()
    assert "nursing.csv" in home
    assert client.get(load.get_absolute_url()).status_code == 200


def test_the_form_loads_the_good_rows_and_lists_the_rest(client, people, fresh_stores):
    client.force_login(people["bob"])
    _upload(client, skip_bad_rows="on")
    load = Load.objects.get()
    assert load.status == Load.Status.LOADED and load.events == 2
    assert load.issues.filter(severity="error", row=3).count() == 2


def test_a_file_nobody_can_recognise_is_listed_for_its_uploader(client, people, fresh_stores):
    client.force_login(people["bob"])
    client.post(
        reverse("data:upload"),
        {"file": SimpleUploadedFile("notes.txt", b"just some words\nnot a return\n")},
        follow=True,
    )
    load = Load.objects.get()
    assert load.status == Load.Status.REJECTED and load.organisation == people["orgs"]["health"]
    assert client.get(load.get_absolute_url()).status_code == 200
    assert "notes.txt" in client.get(reverse("data:home")).content.decode()
