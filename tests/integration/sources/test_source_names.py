"""Sources are shown by the names people say, not their codes (found walking the demo: pages
people read said 'council_csc'). The code stays where an analyst needs it."""

import pytest
from django.template import Context, Template
from django.urls import reverse

from placewise.sources import naming
from placewise.sources.models import Source
from placewise.sources.readers.partner import load_mapping

pytestmark = pytest.mark.django_db


def test_the_place_s_sources_are_named_from_their_returns_and_mapping_files(
    client, people, shared_place
):
    # The council's census registered its source with the statutory returns' name; the trust's
    # A&E file with its mapping file's title (synth/partners.py).
    assert naming.title_of("council_csc") == "Children's social care records"
    assert naming.title_of("northshire_health") == "Hospital and community health records"
    assert naming.title_of("no_such_source") == "no_such_source"  # not registered: its code
    shown = Template("{% load labels %}{{ s|source_name }}").render(Context({"s": "council_csc"}))
    assert shown == "Children&#x27;s social care records"
    client.force_login(people["alice"])
    # Agreements are read by data owners and heads of service: names, not codes.
    page = client.get(reverse("sharing:agreements")).content.decode()
    assert "Children&#x27;s social care records: Northshire" in page
    assert "council_csc" not in page and "northshire_health" not in page
    # The Data area is an analyst's too: the name, with the code beside it.
    page = client.get(reverse("data:home")).content.decode()
    assert 'Children&#x27;s social care records <span class="govuk-body-s">(council_csc)' in page


def test_a_mapping_file_names_its_source_and_a_title_once_given_is_kept(people, tmp_path):
    mapping = tmp_path / "custody.toml"
    mapping.write_text(
        '[source]\nname = "police_custody"\ntitle = "Custody records"\n'
        'organisation = "Northshire Police"\n[identity]\nrecord_id = "Ref"\n',
        encoding="utf-8",
    )
    assert load_mapping(mapping).title == "Custody records"
    custody = Source.objects.create(
        name="police_custody", organisation=people["orgs"]["police"], registered_by_name="test"
    )
    assert naming.title_of("police_custody") == "police_custody"  # no title yet: its code
    naming.give_title(custody, "Custody records")
    assert naming.title_of("police_custody") == "Custody records"
    # A later file's different title does not rename it.
    naming.give_title(Source.objects.get(pk=custody.pk), "Custody suite log")
    assert naming.title_of("police_custody") == "Custody records"
