"""What a reviewer is shown is scoped to what they may open: the clerical review queue lists only
the pairs whose two records the agreements share with the viewer for the purpose they gave, and a
data review session is its organisation's, listed, opened and followed up only by the people who
run review sessions there."""

import hashlib
from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from placewise.linkage.models import PairReview
from placewise.reviews import actions
from placewise.reviews.models import ReviewSession
from placewise.sharing.models import AuditEntry, Membership, Organisation
from placewise.sharing.permissions import Role
from tests import factories

COUNCIL = "Northshire Council Children's Services"
HEALTH = "Northshire NHS Foundation Trust"
POLICE = "Northshire Police"


def _token(label: str) -> str:
    """A pseudonymous token, as the store names a record (64 hex characters)."""
    return hashlib.sha256(label.encode()).hexdigest()


def _pair(
    label: str, source_l: str, source_r: str, probability: float, decision: str = "pending"
) -> PairReview:
    a, b = sorted([(_token(f"{label}-l"), source_l), (_token(f"{label}-r"), source_r)])
    return PairReview.objects.create(
        token_l=a[0],
        token_r=b[0],
        source_l=a[1],
        source_r=b[1],
        match_probability=probability,
        match_weight=1.0,
        comparison={"date_of_birth": "exact"},
        decision=decision,
    )


@pytest.fixture
def queue(shared_place):
    """Four uncertain pairs, and one already decided. Under the demo agreement Bob (the trust's
    analyst) may open council and trust records for safeguarding, and no police record."""
    return {
        "council_health": _pair("ch", "council_csc", "northshire_health", 0.61),
        "health_health": _pair("hh", "northshire_health", "northshire_health", 0.55),
        "council_police": _pair("cp", "council_csc", "northshire_police", 0.93),
        "health_police": _pair("hp", "northshire_health", "northshire_police", 0.88),
        "decided": _pair("d", "council_csc", "northshire_health", 0.7, decision="same"),
    }


def _queue_reads(username: str) -> dict[str, bool]:
    return dict(
        AuditEntry.objects.filter(
            actor=username, action="person.read", target__endswith="/linkage review queue"
        ).values_list("target", "allowed")
    )


@pytest.mark.django_db
def test_the_queue_lists_only_pairs_whose_both_records_the_viewer_may_open(queue, client, people):
    client.force_login(people["bob"])

    # No purpose yet: no pair is listed, and nothing was asked of the policy function.
    response = client.get(reverse("linkage:queue"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="purpose-first"' in body
    assert 'data-testid="queue"' not in body
    for pair in queue.values():
        assert reverse("linkage:pair", args=[pair.pk]) not in body
    assert _queue_reads("bob") == {}

    response = client.get(reverse("linkage:queue"), {"purpose": "safeguarding"})
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [
        queue["council_health"],  # 0.61 first
        queue["health_health"],  # then 0.55
    ]
    assert response.context["hidden"] == 2
    body = response.content.decode()
    assert "2 pairs are not shown" in body
    assert (
        "No agreement in force shares person-level data from Northshire Police with "
        "Northshire NHS Foundation Trust for safeguarding children."
    ) in body
    # Nothing of the hidden pairs: not their links, probabilities or tokens.
    for hidden in (queue["council_police"], queue["health_police"]):
        assert reverse("linkage:pair", args=[hidden.pk]) not in body
        assert hidden.token_l not in body and hidden.token_r not in body
    assert "0.930" not in body and "0.880" not in body
    # One decision per source in the queue, each in the audit log.
    assert _queue_reads("bob") == {
        "council_csc/linkage review queue": True,
        "northshire_health/linkage review queue": True,
        "northshire_police/linkage review queue": False,
    }

    # For public health the agreement shares nothing: only the trust's own pair is left.
    response = client.get(reverse("linkage:queue"), {"purpose": "public_health"})
    assert list(response.context["page"].object_list) == [queue["health_health"]]
    assert response.context["hidden"] == 3
    body = response.content.decode()
    assert "3 pairs are not shown" in body
    assert "from Northshire Council Children&#x27;s Services with" in body
    assert "from Northshire Police with" in body


@pytest.mark.django_db
def test_after_a_decision_the_next_pair_is_one_the_reviewer_may_open(queue, client, people):
    client.force_login(people["bob"])
    client.get(reverse("linkage:queue"), {"purpose": "safeguarding"})
    response = client.post(
        reverse("linkage:pair", args=[queue["health_health"].pk]),
        {"decision": "different", "note": "different GP practices"},
    )
    # The council and police pair (0.93) is the most likely pending one, but Bob may not open
    # the police record: he is sent to the council and trust pair.
    assert response.status_code == 302
    assert response.url == reverse("linkage:pair", args=[queue["council_health"].pk])
    assert PairReview.objects.get(pk=queue["health_health"].pk).decision == "different"


@pytest.mark.django_db
def test_the_queue_pages_through_the_pairs_it_may_show(queue, client, people):
    # 49 more trust pairs: 51 Bob may open for safeguarding, so 50 on page one and 1 on page
    # two; the 2 police pairs are counted, not listed, on both.
    for n in range(49):
        _pair(f"more-{n}", "northshire_health", "northshire_health", 0.3)
    client.force_login(people["bob"])
    first = client.get(reverse("linkage:queue"), {"purpose": "safeguarding"})
    assert len(first.context["page"].object_list) == 50
    assert first.context["page"].paginator.num_pages == 2
    second = client.get(reverse("linkage:queue"), {"page": 2})
    assert len(second.context["page"].object_list) == 1
    assert second.context["hidden"] == 2


@pytest.fixture
def erin(people):
    """A team manager at the health trust: she runs the trust's own review sessions."""
    return factories.person("erin", (people["orgs"]["health"], Role.TEAM_MANAGER))


_session = factories.review_session


@pytest.mark.django_db
def test_a_session_belongs_to_the_organisation_its_chair_runs_reviews_for(
    fresh_stores, people, erin
):
    council_session = _session(people["alice"])
    trust_session = _session(erin)
    assert council_session.organisation.name == COUNCIL
    assert trust_session.organisation.name == HEALTH
    created = AuditEntry.objects.get(action="review.create", actor="erin")
    assert created.detail["organisation"] == HEALTH


@pytest.mark.django_db
def test_another_organisations_session_is_not_listed_nor_opened(fresh_stores, client, people, erin):
    council_session = _session(people["alice"])
    trust_session = _session(erin)

    client.force_login(people["alice"])
    response = client.get(reverse("reviews:reviews"))
    assert response.status_code == 200
    assert list(response.context["sessions"]) == [council_session]
    body = response.content.decode()
    assert reverse("reviews:review", args=[trust_session.pk]) not in body
    # Nor offered as a session to follow up.
    assert list(response.context["form"].fields["follows"].queryset) == [council_session]

    # Its agenda is empty, so there is nothing an agreement could let alice join it for.
    reason = (
        "This review session belongs to Northshire NHS Foundation Trust, and no indicator on its "
        "agenda counts only data that an agreement in force shares with your organisation, so "
        "you cannot join it."
    )
    for name in ("reviews:review", "reviews:review_pack", "reviews:review_pack_pdf"):
        response = client.get(reverse(name, args=[trust_session.pk]))
        assert response.status_code == 403, name
        assert reason in response.content.decode(), name

    client.force_login(erin)
    response = client.get(reverse("reviews:reviews"))
    assert list(response.context["sessions"]) == [trust_session]
    assert client.get(reverse("reviews:review", args=[trust_session.pk])).status_code == 200
    response = client.get(reverse("reviews:review", args=[council_session.pk]))
    assert response.status_code == 403
    assert (
        "This review session belongs to Northshire Council Children&#x27;s Services, and no "
        "indicator on its agenda counts only data that an agreement in force shares with your "
        "organisation, so you cannot join it. Alice Adeyemi (data owner, Northshire Council "
        "Children&#x27;s Services) can agree to share it"
    ) in response.content.decode()

    # Charlie runs no review sessions anywhere: refused before the session is looked at.
    client.force_login(people["charlie"])
    response = client.get(reverse("reviews:review", args=[council_session.pk]))
    assert response.status_code == 403
    assert "do not include permission to run data review sessions" in response.content.decode()


@pytest.mark.django_db
def test_a_follow_up_follows_a_session_of_its_own_organisation(fresh_stores, client, people, erin):
    trust_session = _session(erin)
    client.force_login(people["alice"])
    response = client.post(
        reverse("reviews:reviews"),
        {
            "team": "Place",
            "held_on": "2026-04-15",
            "attendees": "Alice",
            "follows": trust_session.pk,
        },
    )
    assert response.status_code == 400
    assert "Choose a session of your own organisation to follow up." in response.content.decode()
    assert list(ReviewSession.objects.all()) == [trust_session]

    # The action refuses it too, whoever calls it.
    with pytest.raises(actions.ReviewError) as refused:
        _session(people["alice"], follows=trust_session)
    assert str(refused.value) == (
        "A follow-up looks back at a session of its own organisation: 'Place data review, "
        "15 January 2026' was held by Northshire NHS Foundation Trust, and this session is for "
        "Northshire Council Children's Services."
    )
    assert list(ReviewSession.objects.all()) == [trust_session]
    # Her own organisation's session she may follow up.
    follow_up = _session(erin, follows=trust_session)
    assert follow_up.follows == trust_session


@pytest.mark.django_db
def test_a_chair_who_runs_reviews_for_two_organisations_says_whose(fresh_stores, client, people):
    orgs = people["orgs"]
    fay = factories.person(
        "fay", (orgs["council"], Role.TEAM_MANAGER), (orgs["health"], Role.TEAM_MANAGER)
    )
    with pytest.raises(actions.ReviewError, match="say which organisation's session this is"):
        _session(fay)
    session = _session(fay, organisation=orgs["health"])
    assert session.organisation.name == HEALTH
    with pytest.raises(actions.ReviewError, match="not for Northshire Police"):
        _session(fay, organisation=orgs["police"])
    client.force_login(fay)
    response = client.get(reverse("reviews:reviews"))
    assert "organisation" in response.context["form"].fields
    # Both organisations' sessions are hers to follow up, but each only by its own.
    response = client.post(
        reverse("reviews:reviews"),
        {
            "organisation": orgs["council"].pk,
            "team": "Place",
            "held_on": "2026-04-15",
            "attendees": "Fay",
            "follows": session.pk,
        },
    )
    assert response.status_code == 400
    assert (
        "A follow-up looks back at a session of its own organisation: &#x27;Place data review, "
        "15 January 2026&#x27; was held by Northshire NHS Foundation Trust, not by Northshire "
        "Council Children&#x27;s Services."
    ) in response.content.decode()
    assert list(ReviewSession.objects.all()) == [session]


@pytest.mark.slow  # migrates the whole schema back and forth twice: 9 to 10 seconds
@pytest.mark.postgres  # its subject is the operational database: run on PostgreSQL too
@pytest.mark.django_db(transaction=True)
def test_sessions_held_before_organisations_are_given_their_chairs(django_user_model):
    """The migrations fill the organisation from the chair's membership (one in which they ran
    reviews first), refuse to guess for a chair who belongs nowhere, then require it."""
    executor = MigrationExecutor(connection)
    executor.migrate([("learning", "0001_initial")])
    try:
        old = executor.loader.project_state([("learning", "0001_initial")]).apps
        OldSession = old.get_model("learning", "ReviewSession")

        council = Organisation.objects.create(name=COUNCIL, kind="council_childrens_services")
        health = Organisation.objects.create(name=HEALTH, kind="nhs")
        police = Organisation.objects.create(name=POLICE, kind="police")
        # Gita was a police practitioner first and later a team manager at the trust: she ran her
        # session at the trust. Hal is only a police practitioner, so the police it is. Ida belongs
        # nowhere.
        gita = django_user_model.objects.create(username="gita")
        Membership.objects.create(user=gita, organisation=police, role="practitioner")
        Membership.objects.create(user=gita, organisation=health, role="team_manager")
        hal = django_user_model.objects.create(username="hal")
        Membership.objects.create(user=hal, organisation=police, role="practitioner")
        ida = django_user_model.objects.create(username="ida")

        def held(chair):  # type: ignore[no-untyped-def]
            return OldSession.objects.create(
                team="Place", held_on=date(2025, 6, 1), attendees="x", chair_id=chair.pk
            ).pk

        gitas, hals, idas = held(gita), held(hal), held(ida)

        executor = MigrationExecutor(connection)
        with pytest.raises(RuntimeError, match=f"session {idas} "):
            executor.migrate(executor.loader.graph.leaf_nodes())

        Membership.objects.create(user=ida, organisation=council, role="head_of_service")
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

        found = dict(ReviewSession.objects.values_list("pk", "organisation__name"))
        assert found == {gitas: HEALTH, hals: POLICE, idas: COUNCIL}
        with pytest.raises(IntegrityError), transaction.atomic():
            ReviewSession.objects.create(
                team="Place", held_on=date(2025, 7, 1), attendees="x", chair=gita
            )
    finally:
        # Leave the database as every other test expects it, whatever happened above.
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM learning_reviewsession")
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
