"""The place survey (issue 19, item 6): rounds answered by link or signed in, once each; answers
that name no one; round-by-round comparison and quotes by theme, shown only at or above the
anonymity threshold. Every expected figure below is worked by hand."""

from datetime import timedelta

import pytest
from django.utils import timezone

from placewise.approaches import actions, queries, visibility
from placewise.approaches.models import Answer, Invitation
from placewise.sharing import actors
from placewise.sharing.access import AccessDenied
from placewise.sharing.models import AuditEntry
from placewise.sharing.permissions import Role
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def erin(people):
    return factories.person("erin", (people["orgs"]["health"], Role.ENABLER))


@pytest.fixture
def three(settings):
    """An anonymity threshold of three answers."""
    settings.PLACEWISE_PLACE_SURVEY_THRESHOLD = 3
    settings.PLACEWISE_DISCLOSURE_ROUND_TO = 0


def _answer(round_, erin, trust, board, sharing, **texts):
    link = actions.make_link(round=round_, organisation_name="Partner", by=erin)
    actions.answer_by_link(
        token=link.token,
        ratings={"trust": trust, "board": board, "sharing": sharing},
        texts=texts,
        by=actors.partner_by_link(),
    )


# --- The threshold, by hand --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "threshold", "published"),
    [(0, 5, None), (1, 5, None), (4, 5, None), (5, 5, 5), (6, 5, 6), (2, 3, None), (3, 3, 3)],
)
def test_a_round_shows_only_at_or_above_the_threshold(answers, threshold, published):
    assert visibility.published(answers, threshold) == published
    assert visibility.shown(answers, threshold) is (published is not None)


def test_the_threshold_is_the_setting(settings):
    settings.PLACEWISE_PLACE_SURVEY_THRESHOLD = 7
    settings.PLACEWISE_DISCLOSURE_ROUND_TO = 0
    assert visibility.published(6) is None and visibility.published(7) == 7


def test_a_published_count_is_rounded_where_the_place_rounds_counts(settings):
    settings.PLACEWISE_DISCLOSURE_ROUND_TO = 5
    assert visibility.published(7, 5) == 5  # 7 to the nearest 5


# --- Round by round ----------------------------------------------------------------------------


def test_rounds_compared_by_hand(erin, three):
    first = actions.open_round(title="2025", by=erin)
    # trust 2, 3, 4 -> 9/3 = 3.0; board 1, 1, 2 -> 4/3 = 1.33 -> 1.3; sharing 3, 3, 3 -> 3.0
    for t, b, s in [(2, 1, 3), (3, 1, 3), (4, 2, 3)]:
        _answer(first, erin, t, b, s)
    actions.close_round(round=first, by=erin)
    second = actions.open_round(title="2026", by=erin)
    # trust 4, 4, 5, 3 -> 16/4 = 4.0; board 2, 2, 3, 2 -> 9/4 = 2.25 -> 2.2; sharing 3, 2, 3, 4 -> 3.0
    for t, b, s in [(4, 2, 3), (4, 2, 2), (5, 3, 3), (3, 2, 4)]:
        _answer(second, erin, t, b, s)
    actions.close_round(round=second, by=erin)
    third = actions.open_round(title="2027", by=erin)
    _answer(third, erin, 5, 5, 5)  # one answer: withheld
    actions.close_round(round=third, by=erin)
    first_r, second_r, third_r = queries.compare([first, second, third])
    assert first_r.answers == 3
    assert [(s.key, s.mean, s.change) for s in first_r.scores] == [
        ("trust", 3.0, None),
        ("board", 1.3, None),
        ("sharing", 3.0, None),
    ]
    assert second_r.answers == 4
    # Changes from the round before: 4.0 - 3.0 = 1.0; 2.2 - 1.3 = 0.9; 3.0 - 3.0 = 0.0
    assert [(s.key, s.mean, s.change) for s in second_r.scores] == [
        ("trust", 4.0, 1.0),
        ("board", 2.2, 0.9),
        ("sharing", 3.0, 0.0),
    ]
    assert third_r.withheld and third_r.answers is None
    assert all(s.mean is None and s.change is None for s in third_r.scores)


def test_no_change_is_worked_out_across_a_withheld_round(erin, three):
    rounds = [actions.open_round(title=t, by=erin) for t in ("a", "b", "c")]
    for _ in range(3):
        _answer(rounds[0], erin, 2, 2, 2)
        _answer(rounds[2], erin, 4, 4, 4)
    _answer(rounds[1], erin, 3, 3, 3)
    for round_ in rounds:
        actions.close_round(round=round_, by=erin)
    a, b, c = queries.compare(rounds)
    assert [s.mean for s in a.scores] == [2.0, 2.0, 2.0]
    assert b.withheld
    assert [(s.mean, s.change) for s in c.scores] == [(4.0, None)] * 3


# --- Answering -----------------------------------------------------------------------------------


def test_a_link_answers_once_and_names_no_one(erin):
    round_ = actions.open_round(title="2026", by=erin)
    link = actions.make_link(round=round_, organisation_name="Northshire Police", by=erin)
    assert link.token not in Invitation.objects.get().nonce_hash
    actions.answer_by_link(
        token=link.token,
        ratings={"trust": 2, "board": 3, "sharing": 4},
        texts={"challenges": "  Too many boards. ", "worked": ""},
        by=actors.partner_by_link(),
    )
    answer = Answer.objects.get()
    assert answer.ratings == {"trust": 2, "board": 3, "sharing": 4}
    assert answer.texts == {"challenges": "Too many boards."}  # empty words are not kept
    # The answer row has nothing that points to a person or a link, nor a time.
    assert {f.name for f in Answer._meta.get_fields()} == {
        "id",
        "round",
        "ratings",
        "texts",
        "tags",
    }
    entry = AuditEntry.objects.filter(action="approaches.answer").latest("pk")
    assert "Too many" not in str(entry.detail) and "trust" not in str(entry.detail)
    with pytest.raises(queries.LinkRefused, match="has been used"):
        actions.answer_by_link(
            token=link.token,
            ratings={"trust": 1, "board": 1, "sharing": 1},
            texts={},
            by=actors.partner_by_link(),
        )
    assert AuditEntry.objects.filter(action="approaches.answer", allowed=False).count() == 1


def test_bad_expired_and_closed_links_are_refused_with_their_reasons(erin):
    round_ = actions.open_round(title="2026", by=erin)
    link = actions.make_link(round=round_, organisation_name="Partner", by=erin)
    with pytest.raises(queries.LinkRefused, match="not one placewise made"):
        queries.invitation_for(link.token + "x")
    with pytest.raises(queries.LinkRefused, match="expired"):
        queries.invitation_for(link.token, now=timezone.now() + timedelta(days=22))
    actions.close_round(round=round_, by=erin)
    with pytest.raises(queries.LinkRefused, match="closed"):
        queries.invitation_for(link.token)
    with pytest.raises(actions.Refused, match="This round is closed"):
        actions.make_link(round=round_, organisation_name="Partner", by=erin)


def test_every_rating_must_be_one_to_five(erin):
    round_ = actions.open_round(title="2026", by=erin)
    link = actions.make_link(round=round_, organisation_name="Partner", by=erin)
    with pytest.raises(actions.Refused, match="from 1 to 5"):
        actions.answer_by_link(
            token=link.token,
            ratings={"trust": 6, "board": 1, "sharing": 1},
            texts={},
            by=actors.partner_by_link(),
        )
    assert Answer.objects.count() == 0


def test_a_signed_in_partner_answers_once(erin, people):
    round_ = actions.open_round(title="2026", by=erin)
    ratings = {"trust": 3, "board": 3, "sharing": 3}
    actions.answer_signed_in(round=round_, ratings=ratings, texts={}, by=people["charlie"])
    with pytest.raises(actions.Refused, match="already answered"):
        actions.answer_signed_in(round=round_, ratings=ratings, texts={}, by=people["charlie"])
    assert Answer.objects.count() == 1
    actions.close_round(round=round_, by=erin)
    with pytest.raises(actions.Refused, match="has closed"):
        actions.answer_signed_in(round=round_, ratings=ratings, texts={}, by=people["bob"])


def test_only_an_enabler_runs_the_survey(people, erin):
    with pytest.raises(AccessDenied, match="Only an enabler"):
        actions.open_round(title="2026", by=people["bob"])
    round_ = actions.open_round(title="2026", by=erin)
    for name in ("bob", "charlie"):
        with pytest.raises(AccessDenied, match="Only an enabler"):
            actions.make_link(round=round_, organisation_name="x", by=people[name])
        with pytest.raises(AccessDenied, match="Only an enabler"):
            actions.close_round(round=round_, by=people[name])


# --- Quotes by theme -----------------------------------------------------------------------------


def test_quotes_are_withheld_below_the_threshold_even_from_the_facilitator(erin, three):
    round_ = actions.open_round(title="2026", by=erin)
    _answer(round_, erin, 3, 3, 3, challenges="Trust is low.")
    _answer(round_, erin, 3, 3, 3, advice="Talk first.")
    actions.close_round(round=round_, by=erin)
    assert queries.quotes(round_) is None and queries.by_theme(round_) is None


def test_an_open_round_shows_nothing_however_many_answered(erin, three):
    """Two looks at an open round, before and after one more answer, would give it away."""
    round_ = actions.open_round(title="2026", by=erin)
    for n in range(4):
        _answer(round_, erin, 3, 3, 3, challenges=f"Quote {n}.")
    (result,) = queries.compare([round_])
    assert result.withheld and all(s.mean is None for s in result.scores)
    assert queries.quotes(round_) is None
    with pytest.raises(actions.Refused, match="once the round closes"):
        actions.tag_quote(
            answer=Answer.objects.first(), text_key="challenges", theme_name="T", by=erin
        )
    actions.close_round(round=round_, by=erin)
    (result,) = queries.compare([round_])
    assert result.answers == 4 and [s.mean for s in result.scores] == [3.0, 3.0, 3.0]


def test_quotes_grouped_by_theme_by_hand(erin, three):
    round_ = actions.open_round(title="2026", by=erin)
    _answer(round_, erin, 3, 3, 3, challenges="Partners keep control.", advice="Talk first.")
    _answer(round_, erin, 3, 3, 3, challenges="No board members come.")
    _answer(round_, erin, 3, 3, 3, worked="Data review sessions.")
    actions.close_round(round=round_, by=erin)
    # Each answer by its first words in the questions' order (PostgreSQL's JSON keeps no order).
    answers = {(a.texts.get("challenges") or a.texts["worked"]): a for a in Answer.objects.all()}
    control = answers["Partners keep control."]
    actions.tag_quote(answer=control, text_key="challenges", theme_name="Trust", by=erin)
    actions.tag_quote(answer=control, text_key="advice", theme_name="Trust", by=erin)
    actions.tag_quote(
        answer=answers["No board members come."],
        text_key="challenges",
        theme_name="Boards",
        by=erin,
    )
    actions.tag_quote(
        answer=answers["No board members come."], text_key="challenges", theme_name="Trust", by=erin
    )
    groups, untagged = queries.by_theme(round_)
    assert [(g.name, sorted(q.words for q in g.quotes)) for g in groups] == [
        ("Boards", ["No board members come."]),
        ("Trust", ["No board members come.", "Partners keep control.", "Talk first."]),
    ]
    assert [q.words for q in untagged] == ["Data review sessions."]
    with pytest.raises(actions.Refused, match="no words for this question"):
        actions.tag_quote(answer=control, text_key="worked", theme_name="Trust", by=erin)


def test_who_is_not_an_enabler_may_not_tag(erin, people, three):
    round_ = actions.open_round(title="2026", by=erin)
    _answer(round_, erin, 3, 3, 3, challenges="x")
    actions.close_round(round=round_, by=erin)
    with pytest.raises(AccessDenied, match="Only an enabler"):
        actions.tag_quote(
            answer=Answer.objects.get(), text_key="challenges", theme_name="T", by=people["bob"]
        )


# --- Pages ----------------------------------------------------------------------------------------


def test_the_answer_form_refuses_empty_answers_with_an_error_summary(client, erin, people):
    round_ = actions.open_round(title="2026", by=erin)
    client.force_login(people["charlie"])
    response = client.post(f"/approaches/survey/rounds/{round_.pk}/answer/", {})
    page = response.content.decode()
    assert response.status_code == 400 and "govuk-error-summary" in page
    assert "Answer “How far do partners in this place trust one another?” from 1 to 5." in page
    response = client.post(
        f"/approaches/survey/rounds/{round_.pk}/answer/",
        {"r_trust": "3", "r_board": "2", "r_sharing": "4", "t_advice": "Talk."},
    )
    assert response.status_code == 200 and "Thank you" in response.content.decode()
    assert Answer.objects.get().ratings == {"trust": 3, "board": 2, "sharing": 4}


def test_a_partner_answers_by_link_with_no_account(client, erin):
    round_ = actions.open_round(title="2026", by=erin)
    link = actions.make_link(round=round_, organisation_name="Northshire Police", by=erin)
    response = client.get(f"/approaches/survey/respond/{link.token}/")
    assert (
        response.status_code == 302 and response["Location"] == "/approaches/survey/respond/answer/"
    )
    page = client.get("/approaches/survey/respond/answer/").content.decode()
    assert "For Northshire Police" in page
    response = client.post(
        "/approaches/survey/respond/answer/", {"r_trust": "4", "r_board": "4", "r_sharing": "4"}
    )
    assert response.status_code == 200
    again = client.get(f"/approaches/survey/respond/{link.token}/")
    assert again.status_code == 410 and "has been used" in again.content.decode()


def test_the_link_form_refuses_bad_input_with_an_error_summary(client, erin):
    round_ = actions.open_round(title="2026", by=erin)
    client.force_login(erin)
    response = client.post(
        f"/approaches/survey/rounds/{round_.pk}/link/", {"organisation_name": "", "days": "99"}
    )
    page = response.content.decode()
    assert response.status_code == 400 and "govuk-error-summary" in page
    assert "Enter the partner organisation the link is for." in page
    assert "A link can work for 1 to 60 days." in page


def test_the_survey_page_withholds_a_small_round(client, erin, people, three):
    round_ = actions.open_round(title="Small round", by=erin)
    _answer(round_, erin, 1, 1, 1, challenges="A secret.")
    client.force_login(people["bob"])  # bob sees outcomes
    assert "Shown once the round closes" in client.get("/approaches/survey/").content.decode()
    actions.close_round(round=round_, by=erin)
    page = client.get("/approaches/survey/").content.decode()
    assert "Fewer than 3 answers: withheld" in page
    round_page = client.get(f"/approaches/survey/rounds/{round_.pk}/").content.decode()
    assert "A secret." not in round_page and "Fewer than 3 partners" in round_page


def test_charlie_may_answer_but_not_see_results(client, erin, people):
    actions.open_round(title="2026", by=erin)
    client.force_login(people["charlie"])
    page = client.get("/approaches/survey/").content.decode()
    assert "answer the survey" in page
    assert "seen by enablers and by partners who see outcomes" in page


def test_the_theme_form_refuses_an_empty_theme_with_an_error_summary(client, erin, three):
    round_ = actions.open_round(title="2026", by=erin)
    for n in range(3):
        _answer(round_, erin, 3, 3, 3, challenges=f"Quote {n}.")
    actions.close_round(round=round_, by=erin)
    answer = Answer.objects.first()
    client.force_login(erin)
    url = f"/approaches/survey/rounds/{round_.pk}/themes/"
    response = client.post(url, {"answer": str(answer.pk), "text_key": "challenges", "theme": ""})
    page = response.content.decode()
    assert response.status_code == 400 and "govuk-error-summary" in page
    assert 'href="#id_theme"' in page and 'id="id_theme"' in page
    assert "Enter a theme for this quote." in page
    response = client.post(url, {"answer": str(answer.pk), "text_key": "challenges", "theme": "T"})
    assert response.status_code == 302
    assert [g.name for g in queries.by_theme(round_)[0]] == ["T"]
