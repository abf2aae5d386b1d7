"""The Linkage page, the clerical review queue, and reviewers' decisions feeding the next run."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from placewise.cli import main
from placewise.linkage import actions
from placewise.linkage.models import LinkageRun, PairReview
from placewise.sharing.models import AuditEntry
from placewise.store import stores

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked(linked_place):
    """The small place loaded and linked once per session (conftest), copied for this test."""
    return linked_place


def _keys(*tokens: str) -> dict[str, str]:
    with stores.analytic(read_only=True) as store:
        rows = store.execute(
            f"SELECT token, person_key FROM person_links WHERE token IN ({', '.join('?' * len(tokens))})",
            list(tokens),
        ).fetchall()
    return dict(rows)


def _identities(token: str) -> list[tuple[str, str]]:
    with stores.enclave(read_only=True) as vault:
        return vault.execute(
            "SELECT given_name, family_name FROM identities WHERE token = ? "
            "AND given_name IS NOT NULL",
            [token],
        ).fetchall()


def test_a_run_leaves_its_model_scores_and_an_uncertain_queue(linked):
    run = LinkageRun.objects.get()
    assert run.backend == "duckdb" and run.records > run.people > 0
    with stores.enclave(read_only=True) as vault:
        tokens = vault.execute("SELECT count(DISTINCT token) FROM identities").fetchone()[0]
    assert run.records == tokens
    comparisons = {w["comparison"] for w in run.weights}
    assert {"date_of_birth", "postcode", "nhs_number", "upn"} <= comparisons
    assert sum(s["pairs"] for s in run.scores) > 0
    queue = PairReview.objects.filter(decision=PairReview.Decision.PENDING)
    assert queue.exists()
    for pair in queue:
        assert pair.token_l < pair.token_r
        assert 0.2 <= pair.match_probability < 0.995
        assert set(pair.comparison) == comparisons


def _queued(token_l: str, token_r: str, probability: float, weight: float) -> PairReview:
    """The pair as a reviewer finds it: already in the run's queue if the model was unsure of
    it (which pair that is depends on the place's random secret), else put there now."""
    pair, _ = PairReview.objects.get_or_create(
        token_l=token_l,
        token_r=token_r,
        defaults={
            "source_l": "x",
            "source_r": "y",
            "match_probability": probability,
            "match_weight": weight,
        },
    )
    assert pair.decision == PairReview.Decision.PENDING
    return pair


def test_decisions_are_applied_by_the_next_run(linked):
    # A pair the model linked, alone in its cluster: a reviewer says they are different people.
    with stores.analytic(read_only=True) as store:
        linked_pair = store.execute("""
            SELECT min(token), max(token) FROM person_links WHERE cluster_size = 2
            GROUP BY person_key ORDER BY 1 LIMIT 1""").fetchone()
    apart = _queued(linked_pair[0], linked_pair[1], 0.99, 10)
    # A pair the model left apart (two people found with one record each, which no rule put
    # side by side): a reviewer says they are the same child.
    with stores.analytic(read_only=True) as store:
        loners = [
            r[0]
            for r in store.execute(
                "SELECT token FROM person_links WHERE cluster_size = 1 ORDER BY token LIMIT 2"
            ).fetchall()
        ]
    together = _queued(loners[0], loners[1], 0.01, -10)
    assert len(set(_keys(*loners).values())) == 2
    actions.review(
        apart,
        decision="different",
        note="different birth weights",
        by=User.objects.get(username="alice"),
    )
    actions.review(
        together, decision="same", note="same school and GP", by=User.objects.get(username="alice")
    )

    assert main(["link", "--quiet"]) == 0

    keys = _keys(apart.token_l, apart.token_r)
    assert keys[apart.token_l] != keys[apart.token_r]
    keys = _keys(together.token_l, together.token_r)
    assert keys[together.token_l] == keys[together.token_r]
    assert LinkageRun.objects.first().reviewed_pairs_used == 2
    # Decided pairs stay decided: the new queue does not ask again.
    assert PairReview.objects.get(pk=together.pk).decision == "same"
    assert AuditEntry.objects.filter(action="linkage.review", actor="alice").count() == 2


def _token_of(source: str, offset: int = 0) -> str:
    with stores.analytic(read_only=True) as store:
        return store.execute(
            "SELECT DISTINCT token FROM records WHERE source = ? ORDER BY token LIMIT 1 OFFSET ?",
            [source, offset],
        ).fetchone()[0]


def _pair(source_l: str, source_r: str) -> PairReview:
    (a, sa), (b, sb) = sorted(
        [(_token_of(source_l, 0), source_l), (_token_of(source_r, 1), source_r)]
    )
    return PairReview.objects.create(
        token_l=a,
        token_r=b,
        source_l=sa,
        source_r=sb,
        match_probability=0.9,
        match_weight=3.2,
        comparison={"date_of_birth": "day and month swapped"},
    )


def test_a_reviewer_sees_how_identifiers_compared_but_never_the_identifiers(linked, client, people):
    queued = PairReview.objects.filter(decision="pending").first()
    pair = _pair("council_csc", "council_csc")
    client.force_login(people["alice"])
    client.get(reverse("linkage:queue"), {"purpose": "safeguarding"})
    for shown in (queued, pair):
        response = client.get(reverse("linkage:pair", args=[shown.pk]))
        if shown is pair:
            assert response.status_code == 200
            body = response.content.decode()
            assert "day and month swapped" in body
            assert "month_of_birth" in body  # the council's own field, shown to its data owner
        body = response.content.decode()
        for token in (shown.token_l, shown.token_r):
            names = _identities(token)
            if shown is pair:
                assert names  # the enclave does hold names for these records
            for given, family in names:
                assert given not in body and family not in body
    reads = AuditEntry.objects.filter(action="person.read", actor="alice", allowed=True)
    assert reads.filter(target__startswith="council_csc/token").count() >= 2


def test_a_pair_is_refused_when_an_agreement_does_not_share_a_record(linked, client, people):
    """Alice may see council records, but no agreement shares the police's with the council."""
    pair = _pair("council_csc", "northshire_police")
    client.force_login(people["alice"])
    client.get(reverse("linkage:queue"), {"purpose": "safeguarding"})
    response = client.get(reverse("linkage:pair", args=[pair.pk]))
    assert response.status_code == 403
    assert "No agreement in force shares person-level data from Northshire Police" in (
        response.content.decode()
    )
    # The queue's own decisions (one per source, test_scoping.py) are not this pair's.
    refusal = AuditEntry.objects.exclude(target__endswith="/linkage review queue").get(
        action="person.read", allowed=False
    )
    assert refusal.target.startswith("northshire_police/token")
    # Refused, so a decision cannot be posted either.
    response = client.post(reverse("linkage:pair", args=[pair.pk]), {"decision": "same"})
    assert response.status_code == 403
    assert PairReview.objects.get(pk=pair.pk).decision == "pending"


def test_a_purpose_is_asked_for_first_and_a_practitioner_cannot_review(linked, client, people):
    pair = _pair("council_csc", "council_csc")
    client.force_login(people["alice"])
    response = client.get(reverse("linkage:pair", args=[pair.pk]))
    assert response.status_code == 302 and response.url == reverse("linkage:queue")
    client.force_login(people["charlie"])
    response = client.get(reverse("linkage:queue"))
    assert response.status_code == 403
    assert "review uncertain record pairs" in response.content.decode()


def test_a_decision_without_an_answer_is_refused_and_changes_nothing(linked, client, people):
    pair = _pair("council_csc", "council_csc")
    client.force_login(people["alice"])
    client.get(reverse("linkage:queue"), {"purpose": "safeguarding"})
    response = client.post(reverse("linkage:pair", args=[pair.pk]), {"note": "not sure"})
    assert response.status_code == 400
    assert "Say whether the two records are the same child." in response.content.decode()
    assert PairReview.objects.get(pk=pair.pk).decision == "pending"
    response = client.post(
        reverse("linkage:pair", args=[pair.pk]), {"decision": "different", "note": "twins"}
    )
    assert response.status_code == 302
    saved = PairReview.objects.get(pk=pair.pk)
    assert (saved.decision, saved.note, saved.decided_by) == ("different", "twins", "alice")


def test_the_linkage_page_counts_records_per_source(linked, client, people):
    client.force_login(people["alice"])
    response = client.get(reverse("linkage:home"))
    assert response.status_code == 200
    rows = {r["source"]: r for r in response.context["sources"]}
    with stores.enclave(read_only=True) as vault:
        expected = dict(
            vault.execute(
                "SELECT source, count(DISTINCT token) FROM identities GROUP BY source"
            ).fetchall()
        )
    assert {s: r["records"] for s, r in rows.items()} == expected
    assert 0 < rows["northshire_health"]["linked_elsewhere"] <= expected["northshire_health"]
    assert "Pairs by match weight" in response.content.decode()


def test_the_linkage_page_before_any_run(fresh_stores, client, people):
    client.force_login(people["alice"])
    response = client.get(reverse("linkage:home"))
    assert response.status_code == 200
    assert "Nothing has been linked yet" in response.content.decode()
