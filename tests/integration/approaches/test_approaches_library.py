"""The approaches library (issue 19, item 5): the starter library found by question and by words,
each of the product's tools leading to where it is done; an enabler adds and edits approaches
(every version kept) and records where one was used; anyone else is refused, with the reason."""

from datetime import date

import pytest

from placewise.approaches import actions, queries
from placewise.approaches.models import Approach, Question, Revision, Use
from placewise.sharing.access import AccessDenied
from placewise.sharing.models import AuditEntry
from placewise.sharing.permissions import Role
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def erin(people):
    """An enabler at the health trust (leadership.enable, nothing else)."""
    return factories.person("erin", (people["orgs"]["health"], Role.ENABLER))


@pytest.fixture
def library(erin):
    actions.load_starter_library(by=erin)


def _draft(**given):
    fields = {
        "name": "Appreciative inquiry",
        "originator": "David Cooperrider and Suresh Srivastva (1987)",
        "helps_understand": "What already works, as the place to grow from.",
        "key_elements": "Discover\nDream\nDesign\nDestiny",
        "when_to_use": "When a partnership is stuck on its failures.",
        "further_reading": "Cooperrider and Srivastva, Appreciative inquiry in organizational life",
        "questions": ("How do we build trust between partners?",),
    }
    fields.update(given)
    return actions.Draft(**fields)


def test_the_tools_placewise_has_lead_to_where_they_are_done(library):
    where = {a.slug: queries.where_done(a) for a in Approach.objects.all()}
    assert where["grow"] == "/leadership/coaching/"
    assert where["four-c"] == "/leadership/plan/"
    assert where["culture-scan"] == "/surveys/"
    assert where["six-dimensions"] == "/surveys/"
    assert where["peer-review"] == "/practice/"
    assert where["data-review"] == "/learning/reviews/"
    assert where["operational-reviews"] == "/service-reviews/"
    # The trust map and the strategic triangle are done on an initiative's page.
    assert where["trust-and-agreement"] == "/initiatives/"
    assert where["strategic-triangle"] == "/initiatives/"
    assert where["system-map"] == "/system-map/"
    # And a handful from the references that are not tools of placewise.
    assert {"system-map", "living-systems", "ecology-of-mind"} <= set(where)
    assert where["living-systems"] is None
    # Every starter has its sources.
    assert all(a.reading for a in Approach.objects.all())


def test_approaches_are_found_by_the_question_a_leader_faces(library):
    who = Question.objects.get(text="Who must say yes?")
    assert set(who.approaches.values_list("slug", flat=True)) == {
        "trust-and-agreement",
        "strategic-triangle",
    }
    measure = Question.objects.get(text="How do we decide what to measure?")
    assert set(measure.approaches.values_list("slug", flat=True)) == {
        "strategic-triangle",
        "data-review",
    }
    listed = {q.text: q.n for q in queries.questions()}
    assert listed["How do we build trust between partners?"] == 2  # trust map, living systems


def test_search_finds_every_word_given(library):
    assert "trust-and-agreement" in {a.slug for a in queries.search("trust")}
    assert [a.slug for a in queries.search("reinforcing loops")] == ["system-map"]
    assert list(queries.search("zzzz")) == []


def test_connected_approaches_go_both_ways(library):
    grow = Approach.objects.get(slug="grow")
    assert "four-c" in {a.slug for a in grow.connected.all()}
    assert "grow" in {a.slug for a in Approach.objects.get(slug="four-c").connected.all()}


def test_an_enabler_adds_and_edits_an_approach_and_every_version_is_kept(library, erin):
    made = actions.add_approach(draft=_draft(connected=("grow",)), by=erin)
    assert made.slug == "appreciative-inquiry" and made.version == 1
    assert made.elements == ["Discover", "Dream", "Design", "Destiny"]
    actions.edit_approach(
        approach=made,
        draft=_draft(
            name="Appreciative inquiry (4D)",
            questions=("How do we build trust between partners?", "How do we start again?"),
        ),
        what_changed="Named the 4D cycle; a new question.",
        by=erin,
    )
    made.refresh_from_db()
    assert made.version == 2 and made.name == "Appreciative inquiry (4D)"
    assert Question.objects.filter(text="How do we start again?").exists()
    assert list(made.connected.all()) == []  # the edit left none connected
    first, second = Revision.objects.filter(approach=made).order_by("version")
    assert first.fields["name"] == "Appreciative inquiry" and first.by == "erin"
    assert first.fields["connected"] == ["grow"]
    assert second.what_changed == "Named the 4D cycle; a new question."


def test_an_edit_must_say_what_changed(library, erin):
    grow = Approach.objects.get(slug="grow")
    with pytest.raises(actions.Refused, match="Say what you changed"):
        actions.edit_approach(approach=grow, draft=_draft(), what_changed=" ", by=erin)


def test_an_approach_needs_its_fields_and_a_question(library, erin):
    with pytest.raises(actions.Refused, match="Give who originated it, when to use it"):
        actions.add_approach(draft=_draft(originator="", when_to_use=""), by=erin)
    with pytest.raises(actions.Refused, match="at least one question"):
        actions.add_approach(draft=_draft(questions=()), by=erin)


def test_a_slug_never_takes_a_path_of_the_library(erin, people):
    made = actions.add_approach(draft=_draft(name="Survey"), by=erin)
    assert made.slug == "survey-2"


def test_who_is_not_an_enabler_is_refused_with_the_reason_and_audited(library, people):
    with pytest.raises(AccessDenied, match="Only an enabler"):
        actions.add_approach(draft=_draft(), by=people["bob"])
    refusal = AuditEntry.objects.filter(action="approaches.approach_add").latest("pk")
    assert (refusal.actor, refusal.allowed) == ("bob", False)
    assert "Only an enabler" in refusal.reason
    with pytest.raises(AccessDenied):
        actions.record_use(
            approach=Approach.objects.get(slug="grow"),
            where="x",
            used_on=date(2026, 1, 1),
            learned="y",
            by=people["charlie"],
        )


def test_a_head_of_service_may_curate_too(library, people):
    made = actions.add_approach(draft=_draft(), by=people["alice"])
    assert made.updated_by == "alice"


def test_a_use_is_recorded_with_what_was_learned(library, erin):
    grow = Approach.objects.get(slug="grow")
    actions.record_use(
        approach=grow,
        where="Food poverty project",
        used_on=date(2026, 3, 1),
        learned="Starting at Reality helped.",
        by=erin,
    )
    assert Use.objects.get(approach=grow).learned == "Starting at Reality helped."
    with pytest.raises(actions.Refused, match="where it was used and what was learned"):
        actions.record_use(approach=grow, where="", used_on=date(2026, 3, 1), learned="", by=erin)


# --- Pages ----------------------------------------------------------------------------------------


def test_the_home_page_lists_questions_and_searches(client, library, people):
    client.force_login(people["charlie"])
    page = client.get("/approaches/").content.decode()
    assert "Who must say yes?" in page
    found = client.get("/approaches/", {"q": "coaching"}).content.decode()
    assert "GROW coaching conversations" in found
    assert "Add an approach" not in page  # charlie may not curate


def test_an_approach_page_links_to_where_it_is_done(client, library, people):
    client.force_login(people["bob"])
    page = client.get("/approaches/data-review/").content.decode()
    assert 'href="/learning/reviews/"' in page and "Making Data Count" in page


def test_the_add_form_refuses_empty_input_with_an_error_summary(client, library, erin):
    client.force_login(erin)
    response = client.post("/approaches/new/", {})
    page = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in page
    assert "Enter the approach&#x27;s name." in page
    assert "Choose at least one question the approach helps answer, or add one." in page


def test_the_add_form_refuses_a_page_placewise_has_not(client, library, erin):
    client.force_login(erin)
    response = client.post(
        "/approaches/new/",
        {
            "name": "X",
            "originator": "Y",
            "helps_understand": "Z",
            "key_elements": "A",
            "when_to_use": "B",
            "url_name": "nowhere:at_all",
            "new_question": "How?",
        },
    )
    assert response.status_code == 400
    assert "placewise has no page named “nowhere:at_all”" in response.content.decode()


def test_the_use_form_refuses_a_bad_date_with_an_error_summary(client, library, erin):
    client.force_login(erin)
    response = client.post(
        "/approaches/grow/uses/new/",
        {"where": "", "used_on_0": "31", "used_on_1": "2", "used_on_2": "2026", "learned": ""},
    )
    page = response.content.decode()
    assert response.status_code == 400 and "govuk-error-summary" in page
    assert "Enter the place or project that used the approach." in page


def test_adding_through_the_page_then_editing_shows_the_history(client, library, erin):
    client.force_login(erin)
    response = client.post(
        "/approaches/new/",
        {
            "name": "Appreciative inquiry",
            "originator": "Cooperrider",
            "helps_understand": "What works.",
            "key_elements": "Discover\nDream",
            "when_to_use": "When stuck.",
            "questions": ["Who must say yes?"],
        },
    )
    assert (
        response.status_code == 302 and response["Location"] == "/approaches/appreciative-inquiry/"
    )
    response = client.post(
        "/approaches/appreciative-inquiry/edit/",
        {
            "name": "Appreciative inquiry",
            "originator": "Cooperrider and Srivastva",
            "helps_understand": "What works.",
            "key_elements": "Discover\nDream",
            "when_to_use": "When stuck.",
            "questions": ["Who must say yes?"],
            "what_changed": "Both originators.",
        },
    )
    assert response.status_code == 302
    history = client.get("/approaches/appreciative-inquiry/history/").content.decode()
    assert "Both originators." in history and "First written." in history


def test_a_page_not_served_is_no_link():
    assert queries.where_done(Approach(url_name="nowhere:at_all")) is None
    assert queries.where_done(Approach(url_name="")) is None
