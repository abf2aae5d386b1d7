"""The review framework (issue 17, item 1): the starter, written for a service on first visit by
someone who may edit it; an edit makes a new version; a removed criterion keeps its past grades."""

from datetime import date

import pytest
from django.urls import reverse

from placewise.practice import actions, queries
from placewise.practice.models import AUDIT_GRADES, Feedback, Framework, PeerReview
from placewise.sharing.models import AuditEntry, Organisation
from placewise.sharing.permissions import Role
from tests.factories import person

pytestmark = pytest.mark.django_db


@pytest.fixture
def council(people):
    return Organisation.objects.get(name="Northshire Council Children's Services")


def test_the_starter_is_made_on_first_visit_by_someone_who_may_edit_it(client, people, council):
    pat = person("pat", (council, Role.PRACTITIONER))
    client.force_login(pat)
    page = client.get(reverse("practice:framework")).content.decode()
    assert "no review framework yet" in page and not Framework.objects.exists()
    client.force_login(people["alice"])
    page = client.get(reverse("practice:framework")).content.decode()
    framework = Framework.objects.get()
    assert framework.version == 1 and framework.grades == AUDIT_GRADES
    areas = list(dict.fromkeys(framework.criteria.values_list("area", flat=True)))
    assert areas == ["Service delivery", "Risk assessment", "Outcomes for children and families"]
    for area in areas:
        assert 3 <= framework.criteria.filter(area=area).count() <= 4
    assert all(c.question and c.what_good_looks_like for c in framework.criteria.all())
    assert "Is the child better off because of what we did?" in page
    assert AuditEntry.objects.filter(action="practice.framework", actor="alice").count() == 1
    client.get(reverse("practice:framework"))
    assert Framework.objects.count() == 1


def edit_form(framework, **changes):
    data = {
        "grades": "\n".join(framework.grades),
        "what_changed": "Clearer wording.",
        "c-TOTAL_FORMS": str(framework.criteria.count() + 1),
        "c-INITIAL_FORMS": str(framework.criteria.count()),
        "c-MIN_NUM_FORMS": "0",
        "c-MAX_NUM_FORMS": "1000",
    }
    for n, c in enumerate(framework.criteria.all()):
        data |= {
            f"c-{n}-key": c.key,
            f"c-{n}-area": c.area,
            f"c-{n}-question": c.question,
            f"c-{n}-what_good_looks_like": c.what_good_looks_like,
        }
    return data | changes


def test_an_edit_is_a_new_version_and_a_removed_criterion_keeps_its_past_grades(
    client, people, council
):
    pat, quinn = (person(n, (council, Role.PRACTITIONER)) for n in ("pat", "quinn"))
    fay = person("fay", (council, Role.TEAM_MANAGER))
    for who, team in ((pat, "North"), (quinn, "South"), (fay, "Central")):
        actions.place_in_team(person=who, organisation=council, team=team, by=people["alice"])
    review = actions.set_up_review(
        organisation=council,
        held_on=date(2026, 1, 6),
        method=PeerReview.Method.CASE_FILE,
        facilitator=fay,
        presenter=pat,
        peers=[quinn],
        by=fay,
    )
    review.case_source, review.case_reference = "council_csc", "X"
    review.save()
    v1 = review.framework
    actions.give_feedback(
        review=review,
        gradings=[
            actions.Grading(
                criterion=c, grade="Good", strengths=f"Strong on {c.key}.", improvements=""
            )
            for c in v1.criteria.all()
        ],
        by=quinn,
    )
    client.force_login(people["alice"])
    # Remove the first criterion (timely-response), reword risk-understood, add one of our own.
    data = edit_form(
        v1,
        **{
            "c-0-remove": "on",
            "c-3-question": "What could harm the child, and how likely is it?",
            "c-9-area": "Our own: recording",
            "c-9-question": "Is the file easy for the child to read later?",
            "c-9-what_good_looks_like": "Written to the child, in plain words.",
            "grades": "Strong\nGood enough\nNot yet",
        },
    )
    response = client.post(reverse("practice:framework_edit"), data)
    assert response.status_code == 302
    v2 = queries.current_framework(council)
    v1.refresh_from_db()
    assert (
        v2.version == 2 and not v1.is_current and v2.grades == ["Strong", "Good enough", "Not yet"]
    )
    keys = list(v2.criteria.values_list("key", flat=True))
    assert "timely-response" not in keys and "is-the-file-easy-for-the-child-to-read-later" in keys
    assert v2.criteria.get(key="risk-understood").question.startswith("What could harm")
    # The old review keeps version 1, its wording, and its grades on the removed criterion.
    review.refresh_from_db()
    assert review.framework == v1
    kept = Feedback.objects.get(review=review, criterion__key="timely-response")
    assert kept.grade == "Good" and kept.criterion.framework == v1
    assert v1.criteria.get(key="risk-understood").question.startswith("Is it clear")
    client.force_login(pat)
    page = client.get(reverse("practice:review", args=[review.pk])).content.decode()
    assert "Strong on timely-response." in page and "Did the child and family get help" in page


def test_the_edit_refuses_an_incomplete_criterion_and_a_bad_scale(client, people, council):
    client.force_login(people["alice"])
    client.get(reverse("practice:framework"))
    v1 = Framework.objects.get()
    data = edit_form(
        v1,
        **{
            "c-9-question": "A question with no area",
            "grades": "Only one",
            "what_changed": "",
        },
    )
    response = client.post(reverse("practice:framework_edit"), data)
    page = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in page
    assert "Enter the area of criterion 10, or remove it." in page
    assert "Enter the what good looks like of criterion 10, or remove it." in page
    assert "The scale needs at least two grades, each different." in page
    assert "Say what changed in this version." in page
    assert Framework.objects.count() == 1


def test_only_a_head_of_service_edits_the_framework(client, people, council):
    pat = person("pat", (council, Role.PRACTITIONER))
    client.force_login(pat)
    assert client.get(reverse("practice:framework_edit")).status_code == 403
    assert client.get(reverse("practice:teams")).status_code == 403
