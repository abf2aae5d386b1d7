"""Partners' analysts and data owners join the review sessions their agreements cover (issue 15,
item 6): what they see, what they may do, and refusals that say who can grant access."""

import pytest
from django.urls import reverse

from placewise.reviews.models import Action, AgendaItem
from placewise.sharing.models import AuditEntry
from placewise.sharing.permissions import Role
from tests import factories

pytestmark = pytest.mark.django_db
COVERED = "referrals"  # the council's referrals: the demo agreement shares its figures with health
NOT_COVERED = "police_only_measure"  # counts nothing bob's organisation is shared


@pytest.fixture
def session(council_loaded, people):
    made = factories.review_session(people["alice"])
    for key in (COVERED, NOT_COVERED):
        AgendaItem.objects.create(
            session=made,
            indicator=key,
            team="Place",
            origin="concern",  # as alice's series read
            highlight=f"{key} as alice saw it",
        )
    AgendaItem.objects.filter(session=made, indicator=COVERED).update(
        interpretations="Schools refer more in the autumn"
    )
    return made


def test_a_partners_analyst_joins_and_sees_only_what_is_shared(client, people, session):
    client.force_login(people["bob"])
    listed = client.get(reverse("reviews:reviews"))
    assert listed.status_code == 200 and list(listed.context["joinable"]) == [session]
    page = client.get(reverse("reviews:review", args=[session.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert [e["item"].indicator for e in page.context["items"]] == [COVERED]
    assert page.context["hidden_items"] == 1 and "1 other item counts data" in text
    assert "Schools refer more in the autumn" in text  # what staff said, to read
    # The chair's tools are not offered: no discussion form, no agenda adding, no pack.
    assert 'value="discussion"' not in text and 'value="add_item"' not in text
    assert "review_pack" not in text and "/pack" not in text
    # The highlight is the one bob's organisation may see, not the one alice saw; and the small
    # place has 1 to 4 referrals a month, so a partner's reading is withheld, and the chair's
    # "special cause concern" tag with it.
    assert "as alice saw it" not in text
    assert page.context["items"][0]["signal"].variation is None
    assert "Reading withheld" in text and "Special cause concern" not in text
    assert "Record an action you own" in text


def test_a_joiner_records_an_action_they_own(client, people, session):
    client.force_login(people["bob"])
    item = session.items.get(indicator=COVERED)
    response = client.post(
        reverse("reviews:review", args=[session.pk]),
        {
            "step": "action",
            "target": item.pk,
            "description": "Share A&E attendances of referred children monthly",
            "owner": "Someone else",  # ignored: a joiner owns what they record
            "due_on-day": "1",
            "due_on-month": "3",
            "due_on-year": "2026",
            "direction": "down",
        },
    )
    assert response.status_code == 302
    action = Action.objects.get()
    assert action.owner == f"Bob Bennett, {people['orgs']['health'].name}"
    assert action.created_by == "bob"
    assert AuditEntry.objects.filter(actor="bob", action="review.action").exists()


@pytest.mark.parametrize(
    ("step", "extra"),
    [
        ("discussion", {"interpretations": "Not ours to say"}),
        ("add_item", {"indicator": COVERED}),
        ("verdict", {"outcome": "moved"}),
    ],
)
def test_a_joiner_may_not_do_the_chairs_part(client, people, session, step, extra):
    client.force_login(people["bob"])
    target = session.items.get(indicator=COVERED).pk
    response = client.post(
        reverse("reviews:review", args=[session.pk]), {"step": step, "target": target, **extra}
    )
    assert response.status_code == 403
    assert "ask the chair, Alice Adeyemi" in response.content.decode()


def test_a_joiner_may_not_act_on_an_item_not_shared_or_take_the_pack(client, people, session):
    client.force_login(people["bob"])
    hidden = session.items.get(indicator=NOT_COVERED)
    response = client.post(
        reverse("reviews:review", args=[session.pk]),
        {"step": "action", "target": hidden.pk, "description": "x", "direction": "up"},
    )
    assert response.status_code == 403 and not Action.objects.exists()
    pack = client.get(reverse("reviews:review_pack", args=[session.pk]))
    assert pack.status_code == 403


def test_a_partner_no_agreement_covers_is_refused_with_who_can_grant(client, people, session):
    pat = factories.person("pat", (people["orgs"]["police"], Role.DATA_OWNER))
    client.force_login(pat)
    response = client.get(reverse("reviews:review", args=[session.pk]))
    text = response.content.decode()
    assert response.status_code == 403
    assert "no indicator on its agenda counts only data that an agreement in force shares" in text
    assert "Alice Adeyemi (data owner, " in text and "can agree to share it" in text
    assert list(client.get(reverse("reviews:reviews")).context["joinable"]) == []


def test_someone_who_may_not_see_indicators_is_refused_saying_why(client, people, session):
    client.force_login(people["charlie"])
    response = client.get(reverse("reviews:review", args=[session.pk]))
    assert response.status_code == 403
    text = response.content.decode()
    assert "do not include permission to run data review sessions" in text
    assert "Nor may they see indicators and dashboards" in text
    assert 'data-testid="who-can-grant"' in text  # the refusal page names the data owners
