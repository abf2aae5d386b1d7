"""A source belongs to one organisation, registered once, and no upload can move it (issue 12,
defect 1): the tester's repro, every role against every other organisation's source, and the
audit of every load."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from placewise.sharing import actors, policy
from placewise.sharing.models import AuditEntry, Organisation
from placewise.sharing.permissions import Role
from placewise.sources.actions import SourceTaken, ingest, register_source
from placewise.sources.models import Load, Source
from tests import factories
from tests.conftest import first_child, store_snapshot

pytestmark = pytest.mark.django_db

PROBE_CSV = b"PersonID,Forename\nZZ999999,Probe\n"


def probe_mapping(source: str, organisation: str) -> bytes:
    return (
        f'[source]\nname = "{source}"\norganisation = "{organisation}"\n\n'
        '[identity]\nrecord_id = "PersonID"\ngiven_name = "Forename"\n'
    ).encode()


def upload(client, user, source: str, organisation: str, name: str = "probe.csv"):
    client.force_login(user)
    return client.post(
        reverse("data:upload"),
        {
            "file": SimpleUploadedFile(name, PROBE_CSV, content_type="text/csv"),
            "mapping": SimpleUploadedFile("probe.toml", probe_mapping(source, organisation)),
        },
        follow=True,
    )


def test_the_testers_repro_no_longer_hands_the_councils_data_to_the_police(
    client, people, shared_place, small_place
):
    council = Organisation.objects.get(name="Northshire Council Children's Services")
    organisations_before = set(Organisation.objects.values_list("name", flat=True))
    before = store_snapshot()

    page = upload(client, people["bob"], "council_csc", "Northshire Police").content.decode()

    assert "provided by Northshire Council Children" in page
    assert policy.provider_of("council_csc") == council
    assert store_snapshot() == before
    assert set(Organisation.objects.values_list("name", flat=True)) == organisations_before
    refused = Load.objects.get(file_name="probe.csv")
    # Listed with Bob's own trust, never the organisation his file named or the council.
    assert refused.status == Load.Status.REJECTED
    assert refused.organisation.name == "Northshire NHS Foundation Trust"
    entry = AuditEntry.objects.get(action="load.refused")
    assert entry.actor == "bob" and entry.allowed is False
    assert "provided by Northshire Council" in entry.reason

    # Charlie (police) is still refused the council's child; Alice still sees her own.
    child = first_child(small_place)
    url = reverse("journeys:person", kwargs={"source": "council_csc", "reference": child})
    client.force_login(people["charlie"])
    page = client.get(url, {"purpose": "safeguarding"}).content.decode()
    assert "Northshire Police provided this data" not in page
    assert policy.decide(
        people["alice"], source="council_csc", purpose="safeguarding", subject=child
    ).allowed
    assert not policy.decide(
        people["charlie"], source="council_csc", purpose="safeguarding", subject=child
    ).allowed


def test_a_mapping_naming_another_organisation_for_a_new_source_is_refused(
    client, people, fresh_stores
):
    page = upload(client, people["bob"], "brand_new", "Northshire Police").content.decode()
    assert "you can load files only for Northshire NHS Foundation Trust" in page
    assert not Source.objects.filter(name="brand_new").exists()


def test_a_new_source_is_registered_to_the_uploaders_own_organisation(client, people, fresh_stores):
    upload(client, people["bob"], "trust_probe", "Northshire NHS Foundation Trust")
    source = Source.objects.get(name="trust_probe")
    assert source.organisation.name == "Northshire NHS Foundation Trust"
    assert source.registered_by_name == "bob"
    assert Load.objects.get(file_name="probe.csv").status == Load.Status.LOADED
    actions = list(AuditEntry.objects.order_by("seq").values_list("action", flat=True))
    # Inside the upload's job, which is audited when it starts and ends; the worker's account
    # for bob is made when it first takes one of his jobs.
    assert actions[-6:] == [
        "job.start",
        "actor.create",
        "source.register",
        "load.staging",
        "load.loaded",
        "job.done",
    ]

    # A later load by the council into the trust's source cannot take it over.
    page = upload(
        client, people["alice"], "trust_probe", "Northshire Council Children's Services", "b.csv"
    ).content.decode()
    assert "provided by Northshire NHS Foundation Trust" in page
    assert Source.objects.get(name="trust_probe").organisation.name == (
        "Northshire NHS Foundation Trust"
    )


def test_loads_never_create_organisations(fresh_stores, tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(PROBE_CSV)
    mapping = tmp_path / "x.toml"
    mapping.write_bytes(probe_mapping("x", "Made Up Partnership"))
    outcome = ingest(path, by=actors.command_line(), mapping=mapping, run_dfe=False)
    assert outcome.status == "rejected"
    assert "no organisation of that name is set up" in outcome.message
    assert not Organisation.objects.filter(name="Made Up Partnership").exists()


def test_a_registered_source_never_changes_provider(people):
    council, police = people["orgs"]["council"], people["orgs"]["police"]
    register_source(name="council_csc", organisation=council, by=actors.command_line())
    register_source(
        name="council_csc", organisation=council, by=actors.command_line()
    )  # again: nothing
    with pytest.raises(SourceTaken, match="never changes"):
        register_source(name="council_csc", organisation=police, by=actors.command_line())
    source = Source.objects.get(name="council_csc")
    source.organisation = police
    with pytest.raises(ValueError, match="fixed"):
        source.save()
    assert policy.provider_of("council_csc") == council


def test_every_role_loading_into_every_other_organisations_source_is_refused(
    client, people, fresh_stores
):
    """The load half of the authorisation matrix: a person of each role in each organisation
    tries to load into each other organisation's source, naming it truthfully and falsely."""
    orgs = people["orgs"]
    sources = {}
    for key, organisation in orgs.items():
        sources[key] = register_source(
            name=f"{key}_source", organisation=organisation, by=actors.command_line()
        ).name
    before = store_snapshot()
    attempts = wrong = 0
    for key, organisation in orgs.items():
        for role in Role:
            person = factories.person(f"{key}-{role.value}", (organisation, role))
            for other, source in sources.items():
                if other == key:
                    continue
                for named in (orgs[other].name, organisation.name):
                    attempts += 1
                    upload(client, person, source, named, f"{key}-{role}-{other}.csv")
                    load = Load.objects.filter(file_name=f"{key}-{role}-{other}.csv").last()
                    if load is not None and load.status == Load.Status.LOADED:
                        wrong += 1
    assert attempts == len(orgs) * len(Role) * (len(orgs) - 1) * 2
    assert wrong == 0
    assert store_snapshot() == before
    assert {s.name: s.organisation for s in Source.objects.all()} == {
        f"{key}_source": organisation for key, organisation in orgs.items()
    }


def test_a_rejected_upload_is_listed_with_its_uploader_and_audited(client, people, fresh_stores):
    client.force_login(people["bob"])
    broken = SimpleUploadedFile("broken.xlsx", b"PK\x03\x04 not really a workbook")
    page = client.post(reverse("data:upload"), {"file": broken}, follow=True)
    assert page.status_code == 200
    load = Load.objects.get(file_name="broken.xlsx")
    assert load.organisation.name == "Northshire NHS Foundation Trust"
    assert AuditEntry.objects.filter(action="load.rejected", actor="bob").count() == 1
    assert client.get(load.get_absolute_url()).status_code == 200
