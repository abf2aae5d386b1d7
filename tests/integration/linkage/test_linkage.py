"""Probabilistic linkage in the enclave, measured against the synthetic place's ground truth."""

import pytest

from placewise.cli import main
from placewise.linkage import quality
from placewise.store import stores

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked_place(council_loaded):
    """The small place's files loaded (once per session, copied for this test), not yet linked."""
    return council_loaded


def test_link_finds_the_people_behind_the_records(linked_place, capsys):
    truth = linked_place / "_truth" / "persons.csv"
    assert main(["link", "--quiet", "--truth", str(truth)]) == 0
    assert "against the ground truth" in capsys.readouterr().out
    found = quality.against_truth(truth)
    assert found.true_pairs > 100  # the same children recur across sources
    assert found.precision >= 0.98 and found.recall >= 0.95


def test_only_tokens_and_person_keys_reach_the_analytic_store(linked_place):
    main(["link", "--quiet"])
    with stores.analytic(read_only=True) as store:
        columns = [
            r[0]
            for r in store.execute(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_name = 'person_links'"
            ).fetchall()
        ]
        tokens = store.execute("SELECT count(*) FROM person_links").fetchone()[0]
    assert set(columns) == {"token", "person_key", "cluster_size", "match_probability", "linked_at"}
    with stores.enclave(read_only=True) as vault:
        assert tokens == vault.execute("SELECT count(DISTINCT token) FROM identities").fetchone()[0]


def test_exact_matching_on_name_dob_and_postcode_finds_fewer(linked_place):
    """The baseline many councils use today, computed independently here, misses more pairs."""
    main(["link", "--quiet"])
    truth = linked_place / "_truth" / "persons.csv"
    with stores.enclave(read_only=True) as vault:
        exact_pairs = vault.execute("""
            SELECT count(*) FROM (SELECT DISTINCT token, lower(given_name) g, lower(family_name) f,
                   date_of_birth d, postcode p FROM identities WHERE given_name IS NOT NULL) a
            JOIN (SELECT DISTINCT token, lower(given_name) g, lower(family_name) f,
                   date_of_birth d, postcode p FROM identities WHERE given_name IS NOT NULL) b
            ON a.token < b.token AND a.g = b.g AND a.f = b.f AND a.d = b.d AND a.p = b.p
        """).fetchone()[0]
    found = quality.against_truth(truth)
    assert found.correct_pairs > exact_pairs


def test_the_journey_follows_the_child_across_sources_and_counts_what_is_withheld(
    linked_place, people, agreement, client
):
    import csv

    from django.urls import reverse

    from placewise.sharing.models import AuditEntry

    main(["link", "--quiet"])
    with (linked_place / "_truth" / "persons.csv").open() as handle:
        truth = list(csv.DictReader(handle))
    sources: dict[str, dict[str, list[str]]] = {}
    for row in truth:
        sources.setdefault(row["person_id"], {}).setdefault(row["source"], []).append(
            row["record_id"]
        )
    child = next(
        p
        for p, s in sorted(sources.items())
        if {"council_csc", "northshire_police", "northshire_health"} <= set(s)
    )
    police_reports = len(sources[child]["northshire_police"])  # one event per report
    council_id = sources[child]["council_csc"][0]

    client.force_login(people["bob"])
    before = AuditEntry.objects.filter(action="person.read").count()
    page = client.post(
        reverse("journeys:find"),
        {"source": "council_csc", "reference": council_id, "purpose": "safeguarding"},
        follow=True,
    )
    assert page.status_code == 200
    shown_sources = {e["source"] for e in page.context["events"]}
    assert {"council_csc", "northshire_health"} <= shown_sources
    assert "northshire_police" not in shown_sources
    withheld = {w["provider"]: w["count"] for w in page.context["withheld"]}
    assert withheld["Northshire Police"] == police_reports
    assert f"{police_reports} event" in page.content.decode()
    decisions = AuditEntry.objects.filter(action="person.read").order_by("seq")[before:]
    assert {d.detail["source"] for d in decisions} >= {
        "council_csc",
        "northshire_health",
        "northshire_police",
    }


def test_too_few_records_are_refused_with_a_reason(tmp_path, fresh_stores, capsys):
    (tmp_path / "a.csv").write_text("Ref,Given,Family\nA1,Amy,Smith\n")
    (tmp_path / "a.toml").write_text(
        '[source]\nname = "a"\norganisation = "Northshire Police"\n[identity]\n'
        'record_id = "Ref"\ngiven_name = "Given"\n'
        'family_name = "Family"\n'
    )
    assert main(["ingest", "--quiet", "--no-dfe", str(tmp_path / "a.csv")]) == 0
    assert main(["link", "--quiet"]) == 1
    assert "needs at least 50" in capsys.readouterr().out


def test_generic_files_in_links_out(small_place, tmp_path, fresh_stores):
    """CSVs a user brings with mapping files become one links file, one row per record."""
    import csv
    import shutil

    from placewise.sharing.models import AuditEntry

    for folder, name in (
        ("council", "case_system_people"),
        ("partners", "schools_attendance"),
        ("partners", "health_ae_attendances"),
    ):
        shutil.copy(small_place / folder / f"{name}.csv", tmp_path / f"{name}.csv")
        shutil.copy(small_place / folder / f"{name}.toml", tmp_path / f"{name}.toml")
    files = [str(p) for p in sorted(tmp_path.glob("*.csv"))]
    assert main(["ingest", "--quiet", "--no-dfe", *files]) == 0
    assert main(["export", "links", "--out", str(tmp_path / "links.csv")]) == 1  # not linked yet
    assert main(["link", "--quiet"]) == 0
    assert main(["export", "links", "--out", str(tmp_path / "links.csv")]) == 0
    with (tmp_path / "links.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    with (small_place / "_truth" / "persons.csv").open() as handle:
        truth = {(r["source"], r["record_id"]): r["person_id"] for r in csv.DictReader(handle)}
    records = {(r["source"], r["source_record_id"]) for r in rows}
    assert len(rows) == len(records)  # one row per record
    expected = set()
    for name, source, column in (
        ("case_system_people", "council_csc", "PersonID"),
        ("schools_attendance", "northshire_schools", "PupilID"),
        ("health_ae_attendances", "northshire_health", "MRN"),
    ):
        with (tmp_path / f"{name}.csv").open() as handle:
            expected |= {(source, r[column]) for r in csv.DictReader(handle)}
    assert records == expected
    # Records linked together are (almost always) the same child, checked against the truth.
    by_key: dict[str, set[str]] = {}
    for r in rows:
        by_key.setdefault(r["person_key"], set()).add(truth[(r["source"], r["source_record_id"])])
    mixed = sum(1 for people in by_key.values() if len(people) > 1)
    assert mixed <= len(by_key) * 0.01
    assert AuditEntry.objects.filter(action="links.export").count() == 1


def test_pair_and_cluster_quality_by_hand(fresh_stores, tmp_path):
    """Records a (s1), b (s2) are person P1; c (s2), d (s3) are P2. The linkage put a, b, c in one
    cluster and d alone. True pairs: a~b (s1~s2), c~d (s2~s3). Found: a~b (correct), a~c, b~c.
    Overall: 2 true, 3 found, 1 correct. By source pair: s1~s2 true 1, found 2 (a~b, a~c),
    correct 1; s2~s2 found 1 (b~c); s2~s3 true 1, found 0. Clusters: neither found cluster is
    exactly a person's records, so 0 of 2."""
    from datetime import datetime

    with stores.enclave() as vault:
        for token, source, record in [
            ("ta", "s1", "a"),
            ("tb", "s2", "b"),
            ("tc", "s2", "c"),
            ("td", "s3", "d"),
        ]:
            vault.execute(
                "INSERT INTO identities (token, source, record_id, load_id) VALUES (?, ?, ?, 1)",
                [token, source, record],
            )
        for token, key in [("ta", "K1"), ("tb", "K1"), ("tc", "K1"), ("td", "K2")]:
            vault.execute(
                "INSERT INTO person_links VALUES (?, ?, 1, 1.0, ?)",
                [token, key, datetime(2025, 1, 1)],
            )
    truth = tmp_path / "persons.csv"
    truth.write_text("source,record_id,person_id\ns1,a,P1\ns2,b,P1\ns2,c,P2\ns3,d,P2\n")
    overall = quality.against_truth(truth)
    assert (overall.true_pairs, overall.found_pairs, overall.correct_pairs) == (2, 3, 1)
    assert (overall.true_clusters, overall.found_clusters, overall.exact_clusters) == (2, 2, 0)
    pairs = {
        (p.source_a, p.source_b): (p.true_pairs, p.found_pairs, p.correct_pairs)
        for p in quality.by_source_pair(truth)
    }
    assert pairs == {("s1", "s2"): (1, 2, 1), ("s2", "s2"): (0, 1, 0), ("s2", "s3"): (1, 0, 0)}
