"""Community co-design: the service's pages and their refusals, responses to proposals in the one
follow-up engine, contact details and their deletion, and the public you-said-we-did page —
anonymous, through disclosure control, with nothing about a person reachable by any parameter,
updated as the follow-up engine gives verdicts, and rate-limited."""

from datetime import date

import pytest
from django.core.cache import cache
from django.urls import reverse

from placewise.community import actions
from placewise.community.models import Contact, Proposal
from placewise.reviews import actions as engine
from placewise.reviews.models import Action
from placewise.sharing import actors
from placewise.sharing.access import AccessDenied
from placewise.sharing.models import AuditEntry
from placewise.sharing.permissions import Role
from tests.factories import person
from tests.integration.community.test_community_reach import engagement_with_two_sessions

pytestmark = pytest.mark.django_db


@pytest.fixture
def engagement(people):
    engagement = engagement_with_two_sessions(people)
    alice = people["alice"]
    voice = actions.record_voice(
        engagement=engagement, words="Nobody told us the family hub was for us.", by=alice
    )
    theme = actions.add_theme(
        engagement=engagement, title="Not knowing help exists", summary="", by=alice
    )
    actions.place_voice(voice=voice, theme=theme, by=alice)
    actions.propose(theme=theme, text="Leaflets in Somali at the mosque and GP surgery", by=alice)
    actions.record_contact(
        engagement=engagement,
        name="Hodan Warsame",
        how="hodan@example.org",
        consent="To hear what happened to the proposals",
        delete_on=date(2026, 9, 30),
        by=alice,
    )
    return engagement


def _proposal(engagement) -> Proposal:
    return Proposal.objects.get(theme__engagement=engagement)


def _adopt(engagement, people) -> Proposal:
    return actions.respond(
        proposal=_proposal(engagement),
        response=Proposal.Response.ADOPTED,
        on=date(2026, 4, 15),
        owner="Early help manager",
        due_on=date(2026, 7, 31),
        direction=Action.Direction.UP,
        by=people["alice"],
    )


def test_an_adopted_proposal_is_an_action_in_the_one_follow_up_engine(engagement, people):
    proposal = _adopt(engagement, people)
    action = proposal.action
    assert (action.origin, action.measure, action.indicator, action.team) == (
        "co_design",
        "indicator",
        "help_started_within_10_working_days",
        "Place",
    )
    assert action.description == "Leaflets in Somali at the mosque and GP surgery"
    assert action.agreed_at == "Co-design: Early help for families"
    assert AuditEntry.objects.filter(action="co_design.action").count() == 1
    assert AuditEntry.objects.get(action="community.response").detail["action"] == action.pk


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"response": "not_taken"}, "Say why the proposal is not being taken forward."),
        ({"response": "adapted"}, "Say how the proposal was adapted, and why."),
        ({"response": "pending"}, "Choose adopted, adapted or not taken forward."),
        ({"response": "adopted"}, "Say when the action is due."),
        (
            {"response": "adopted", "due_on": date(2026, 7, 1), "owner": "x", "direction": ""},
            "Say which way the measure should move",
        ),
    ],
)
def test_a_response_is_refused_with_its_reason(engagement, people, fields, reason):
    with pytest.raises(actions.CommunityError, match=reason):
        actions.respond(
            proposal=_proposal(engagement), on=date(2026, 4, 15), by=people["alice"], **fields
        )
    assert _proposal(engagement).response == "pending" and not Action.objects.exists()


def test_a_proposal_is_answered_once(engagement, people):
    _adopt(engagement, people)
    with pytest.raises(actions.CommunityError, match="answered on 15 April 2026: adopted"):
        _adopt(engagement, people)


def test_adopting_needs_an_indicator_to_measure_it_by(people):
    alice = people["alice"]
    engagement = actions.start_engagement(
        organisation=people["orgs"]["council"],
        title="No indicator",
        question="?",
        started_on=date(2026, 3, 1),
        by=alice,
    )
    theme = actions.add_theme(engagement=engagement, title="T", summary="", by=alice)
    proposal = actions.propose(theme=theme, text="P", by=alice)
    with pytest.raises(actions.CommunityError, match="names no indicator"):
        actions.respond(
            proposal=proposal,
            response="adopted",
            on=date(2026, 4, 1),
            owner="x",
            due_on=date(2026, 5, 1),
            direction="up",
            by=alice,
        )


def test_only_people_who_run_engagements_there_may_write(engagement, people):
    # Bob's role has no review sessions; Hana runs them, but at the health trust.
    hana = person("hana", (people["orgs"]["health"], Role.HEAD_OF_SERVICE))
    with pytest.raises(AccessDenied, match="do not include permission to run data review"):
        actions.record_voice(engagement=engagement, words="x", by=people["bob"])
    with pytest.raises(AccessDenied, match="Only people who run engagements at Northshire"):
        actions.record_voice(engagement=engagement, words="x", by=hana)
    refused = AuditEntry.objects.filter(action="community.voice", allowed=False)
    assert refused.count() == 2


def test_a_session_whose_counts_add_up_to_more_than_took_part_is_refused(engagement, people):
    with pytest.raises(actions.CommunityError, match="Sex: the groups add up to 12, more than"):
        actions.add_session(
            engagement=engagement,
            held_on=date(2026, 4, 2),
            mode="online",
            groups="g",
            facilitators="f",
            participants=10,
            counts={"sex": {"Female": 6, "Male": 6}},
            by=people["alice"],
        )


def test_contact_details_are_deleted_on_their_date_by_the_retention_job(engagement, people):
    alice = people["alice"]
    actions.record_contact(
        engagement=engagement,
        name="Later",
        how="07700 900123",
        consent="A follow-up session",
        delete_on=date(2026, 12, 31),
        by=alice,
    )
    assert actions.forget_contacts_due(today=date(2026, 9, 29), by=actors.command_line()) == 0
    assert actions.forget_contacts_due(today=date(2026, 9, 30), by=actors.command_line()) == 1
    assert list(Contact.objects.values_list("name", flat=True)) == ["Later"]
    actions.forget_contact(contact=Contact.objects.get(), by=alice)
    assert not Contact.objects.exists()
    # The log says that details were kept and deleted, never whose or what they were.
    logged = " ".join(
        f"{e.target} {e.detail}" for e in AuditEntry.objects.filter(action__startswith="community")
    )
    assert "Hodan" not in logged and "example.org" not in logged and "07700" not in logged


# The service's pages


def test_the_engagement_page_shows_reach_with_its_gaps(client, engagement, people):
    client.force_login(people["alice"])
    page = client.get(reverse("community:engagement", kwargs={"pk": engagement.pk}))
    text = page.content.decode()
    assert "Ethnic group: under-represented — Black (4.0 points short)" in text
    assert "Sex: under-represented — Male (19.0 points short)" in text


def test_a_manager_at_another_organisation_is_refused_with_the_reason(client, engagement, people):
    hana = person("hana", (people["orgs"]["health"], Role.HEAD_OF_SERVICE))
    client.force_login(hana)
    page = client.get(reverse("community:engagement", kwargs={"pk": engagement.pk}))
    assert page.status_code == 403
    assert "Only people who run engagements at Northshire" in page.content.decode()


@pytest.mark.parametrize(
    ("url", "data", "messages"),
    [
        (
            "community:new",
            {},
            [
                "Give the engagement a title.",
                "Write the question you want the community&#x27;s help with.",
                "Enter the date the engagement began.",
            ],
        ),
        (
            "community:new_session",
            {"participants": "0", "counts_sex": "Female 6"},
            [
                "Enter the date of the session.",
                "Say whether the session was in person or online.",
                "Name the groups and organisations involved.",
                "At least one person took part in a session.",
                "Sex, line 1: write each group as &#x27;Group: count&#x27;",
            ],
        ),
        ("community:contacts", {"name": "Hodan"}, ["Enter an email address or phone number."]),
    ],
)
def test_forms_refuse_bad_input_with_a_govuk_error_summary(
    client, engagement, people, url, data, messages
):
    client.force_login(people["alice"])
    kwargs = {} if url == "community:new" else {"pk": engagement.pk}
    page = client.post(reverse(url, kwargs=kwargs), data)
    text = page.content.decode()
    assert page.status_code == 400
    start = text.index('class="govuk-error-summary"')
    summary = text[start : text.index("</ul>", start)]
    for message in messages:
        assert message in summary


def test_the_response_form_asks_for_the_action_when_adopting(client, engagement, people):
    client.force_login(people["alice"])
    url = reverse("community:respond", kwargs={"pk": _proposal(engagement).pk})
    page = client.post(url, {"response": "adopted"})
    text = page.content.decode()
    assert page.status_code == 400 and "govuk-error-summary" in text
    for message in (
        "Say who owns the action.",
        "Enter the date the action is due.",
        "Say which way the indicator should move.",
    ):
        assert message in text
    assert not Action.objects.exists()


def test_a_population_file_with_faults_is_refused_on_the_page_with_each_fault(client, people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(people["alice"])
    upload = SimpleUploadedFile(
        "population.csv", b"dimension,group,observation\nsex,Male,x\nsex,,4\n", "text/csv"
    )
    page = client.post(
        reverse("community:population"), {"title": "T", "source": "S", "file": upload}
    )
    text = page.content.decode()
    assert page.status_code == 400 and "govuk-error-summary" in text
    assert "Row 2, column &#x27;observation&#x27;: &#x27;x&#x27; is not a whole number" in text
    assert "Row 3, column &#x27;group&#x27;: is empty" in text


# The public page


def _published(engagement, people):
    actions.publish(engagement=engagement, on=date(2026, 5, 1), by=people["alice"])
    return reverse("community:you_said_we_did", kwargs={"slug": engagement.slug})


def test_an_unpublished_engagement_has_no_public_page(client, engagement):
    url = reverse("community:you_said_we_did", kwargs={"slug": engagement.slug})
    assert client.get(url).status_code == 404
    assert (
        engagement.title
        not in client.get(reverse("community:you_said_we_did_list")).content.decode()
    )


def test_the_public_page_admits_the_gaps_and_withholds_small_counts(client, engagement, people):
    _adopt(engagement, people)
    page = client.get(_published(engagement, people))
    text = page.content.decode()
    assert page.status_code == 200
    # Each quarter on its own (ADR 0030, follow-up): the two March sessions are January to March's.
    assert "Sessions held from January to March 2026" in text
    assert "2 sessions. 50 people took part." in text
    assert "Male (19.0 percentage points fewer than their share)" in text
    assert (
        "Ethnic group: we do not publish how many came from 3 groups, because too few people "
        "came from at least one of them." in text
    )
    assert "“Nobody told us the family hub was for us.”" in text
    assert "Leaflets in Somali at the mosque and GP surgery" in text
    assert "We have not yet looked at whether it made a difference." in text
    assert "Its figures are not yet published for the public" in text


def test_a_verdict_appears_on_the_public_page_when_it_is_given(client, engagement, people):
    proposal = _adopt(engagement, people)
    url = _published(engagement, people)
    engine.follow_up(
        action=proposal.action,
        given_at="Early help review, 1 December 2026",
        outcome="moved",
        loop="single",
        note="Referrals from the mosque doubled",
        evidence={"months_after": 7},
        by=people["alice"],
    )
    text = client.get(url).content.decode()
    assert "Moved as expected." in text
    assert "We have not yet looked" not in text


def _forbidden(text: str) -> list[str]:
    """Anything about a person that must never be on a public page."""
    found = []
    for secret in (
        "Hodan",
        "hodan@example.org",
        "Warsame",
        "Dana Price",  # the facilitator: a member of staff, not needed to say what we did
        "Early help manager",  # the action's owner
        "alice",
        "Adeyemi",
        ">3<",  # Black 3, Asian 12 and Mixed 5: withheld
        ">12<",
        ">5<",
    ):
        if secret in text:
            found.append(secret)
    return found


@pytest.mark.parametrize(
    "suffix",
    [
        "",
        "?pk=1",
        "?contact=1&format=json",
        "?debug=1&show=all",
        "?slug=../contacts",
        "?" + "x" * 5000,
    ],
)
def test_no_person_level_data_by_any_parameter(client, engagement, people, suffix):
    _adopt(engagement, people)
    url = _published(engagement, people)
    page = client.get(url + suffix)
    assert page.status_code == 200
    assert _forbidden(page.content.decode()) == []


@pytest.mark.parametrize(
    "slug",
    ["no-such-thing", "1", "early-help-for-families-2", "EARLY-HELP-FOR-FAMILIES", "x" * 300],
)
def test_every_other_slug_is_not_found(client, engagement, people, slug):
    _published(engagement, people)
    page = client.get(f"/community/you-said-we-did/{slug}/")
    assert page.status_code == 404
    assert _forbidden(page.content.decode()) == []


def test_the_public_page_only_reads(client, engagement, people):
    url = _published(engagement, people)
    assert client.post(url, {"words": "x"}).status_code == 405
    assert client.get(url.replace("you-said-we-did", "engagements")).status_code == 404


def test_too_many_requests_from_one_address_are_refused_for_the_minute(
    client, engagement, people, settings
):
    # The portal's pages' limit (public.throttle.page_limited), apart from its API's.
    cache.clear()
    settings.PLACEWISE_PUBLIC_PAGES_PER_MINUTE = 3
    settings.PLACEWISE_PUBLIC_API_PER_MINUTE = 1  # not the budget these pages count against
    url = _published(engagement, people)
    answers = [client.get(url).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    refused = client.get(url)
    assert refused["Content-Type"].startswith("text/html")  # a page, not JSON
    assert "Too many requests from your network" in refused.content.decode()
    assert 1 <= int(refused["Retry-After"]) <= 61
    cache.clear()


def test_the_indicator_chart_shows_once_the_portal_publishes_it(client, engagement, people):
    """Proposed by Bob and signed off by Alice through the portal (sharing.publication's path):
    then, and only then, the page draws its chart and table."""
    from placewise.indicators.export import PLACE, Row
    from placewise.indicators.library import Indicator
    from placewise.indicators.signals import read
    from placewise.public import actions as portal

    url = _published(engagement, people)
    key = "help_started_within_10_working_days"
    indicator = Indicator(
        key=key,
        title="Help started within 10 working days",
        question="?",
        method="count",
        numerator="families whose help started in time",
        denominator="",
        polarity="up",
    )
    counts = [20, 22, 18, 24, 20, 16, 22, 18, 20, 24, 16, 20]
    rows = [
        Row(key, indicator.title, date(2025, m + 1, 1), PLACE, float(c), 0.0, float(c))
        for m, c in enumerate(counts)
    ]
    (signal,) = read({key: indicator}, rows)
    figure = portal.propose(
        signal=signal,
        meaning="Families whose help began within ten working days.",
        counting="Each family whose help began in the month.",
        source="Early help records",
        agreement=None,
        next_update=date(2026, 2, 15),
        today=date(2026, 1, 10),
        by=people["bob"],
    )
    assert 'data-testid="figure-table"' not in client.get(url).content.decode()
    portal.sign_off(figure=figure, by=people["alice"])
    text = client.get(url).content.decode()
    assert 'data-testid="figure-table"' in text and "<svg" in text
    assert "Its figures are not yet published" not in text


def test_an_engagement_serves_an_initiative_its_organisation_leads(people):
    from placewise.initiatives import actions as initiatives
    from placewise.initiatives.models import Initiative

    alice = people["alice"]
    ours = initiatives.start(
        kind=Initiative.Kind.INITIATIVE,
        name="Family hubs",
        issue="Families ask for help too late.",
        organisation=people["orgs"]["council"],
        started_on=date(2026, 1, 5),
        by=alice,
    )
    engagement = actions.start_engagement(
        organisation=people["orgs"]["council"],
        title="Hubs",
        question="?",
        started_on=date(2026, 3, 1),
        initiative=ours,
        by=alice,
    )
    assert list(ours.engagements.all()) == [engagement]
    with pytest.raises(actions.CommunityError, match="an initiative your organisation leads"):
        actions.start_engagement(
            organisation=people["orgs"]["health"],
            title="Elsewhere",
            question="?",
            started_on=date(2026, 3, 1),
            initiative=ours,
            by=person("hana", (people["orgs"]["health"], Role.HEAD_OF_SERVICE)),
        )


def test_retention_deletes_contact_details_whose_date_has_come(
    engagement, people, fresh_stores, capsys
):
    """`placewise retention apply` (and the retention job, which runs the same registered steps)
    deletes the details due by its date and says so; the later ones stay."""
    from placewise.cli import main

    actions.record_contact(
        engagement=engagement,
        name="Later",
        how="07700 900123",
        consent="A follow-up session",
        delete_on=date(2026, 12, 31),
        by=people["alice"],
    )
    assert main(["retention", "apply", "--today", "2026-09-30"]) == 0
    assert "the contact details of 1 co-design participant deleted" in capsys.readouterr().out
    assert list(Contact.objects.values_list("name", flat=True)) == ["Later"]
