"""The public portal's two-person output checking, worked by hand (issue 20, item 4).

A count indicator over twelve hand-made months: 20, 22, 18, 24, 20, 16, 22, 18, 20, 24, 16, 20.
Their sum is 240, so the mean is 20. The eleven moving ranges are 2, 4, 6, 4, 4, 6, 4, 2, 4, 8, 4
(sum 48, mean 48/11); the XmR limits are 20 ± 2.66 × 48/11 = 20 ± 11.607: 8.393 and 31.607.
With one month's count of 3 in place of the first 20, that month is withheld (fewer than 10
children) and so are the mean and limits of every month (they could give the 3 back)."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from placewise.indicators.export import PLACE, Row
from placewise.indicators.library import Indicator
from placewise.indicators.signals import Signal, read
from placewise.public import actions
from placewise.public.models import PublishedFigure
from placewise.sharing.models import AuditEntry
from placewise.sharing.permissions import Role
from tests.factories import person

pytestmark = pytest.mark.django_db

COUNTS = [20, 22, 18, 24, 20, 16, 22, 18, 20, 24, 16, 20]
TODAY = date(2025, 1, 15)
REFERRALS = Indicator(
    key="referrals_hand",
    title="Referrals to children's social care",
    question="How many children are referred each month?",
    method="count",
    numerator="referrals starting in the month",
    denominator="",
    polarity="down",
)


def signal(counts: list[int] = COUNTS, team: str = PLACE) -> Signal:
    rows = [
        # A count's denominator is 1, as indicators.methods.counts makes it.
        Row(REFERRALS.key, REFERRALS.title, date(2024, m + 1, 1), team, float(c), 1.0, float(c))
        for m, c in enumerate(counts)
    ]
    (found,) = read({REFERRALS.key: REFERRALS}, rows)
    return found


def propose(by, counts: list[int] = COUNTS, team: str = PLACE, **overrides) -> PublishedFigure:
    fields = {
        "meaning": "How many children were referred to the council's children's services.",
        "counting": "Each referral that began in the month, from the children in need census.",
        "source": "Children in need census",
        "agreement": None,
        "next_update": date(2025, 2, 15),
        "today": TODAY,
    }
    return actions.propose(signal=signal(counts, team), by=by, **(fields | overrides))


def public_answers(client, figure: PublishedFigure) -> dict[str, int]:
    client.logout()
    return {
        "page": client.get(reverse("public:figure", args=[figure.pk])).status_code,
        "csv": client.get(reverse("public:figure_csv", args=[figure.pk])).status_code,
        "json": client.get(reverse("public:figure_json", args=[figure.pk])).status_code,
        "api": client.get(reverse("api:figure", args=[figure.pk])).status_code,
        "listed": client.get(reverse("api:figures")).json()["count"],
        "on the list": client.get(reverse("public:figures")).content.count(
            b'data-testid="published-figure"'
        ),
    }


HIDDEN = {"page": 404, "csv": 404, "json": 404, "api": 404, "listed": 0, "on the list": 0}
SHOWN = {"page": 200, "csv": 200, "json": 200, "api": 200, "listed": 1, "on the list": 1}


def test_nothing_appears_before_a_data_owner_signs_it_off(client, people):
    figure = propose(people["bob"])
    assert figure.status == PublishedFigure.Status.PROPOSED
    assert public_answers(client, figure) == HIDDEN

    actions.sign_off(figure=figure, by=people["alice"])

    assert public_answers(client, figure) == SHOWN
    body = client.get(reverse("public:figure_json", args=[figure.pk])).json()
    first = body["months"][0]
    assert first["period"] == "2024-01"
    assert (first["numerator"], first["value"], first["withheld"]) == (20.0, 20.0, "")
    assert first["mean"] == pytest.approx(20.0)
    assert first["lower_limit"] == pytest.approx(8.393, abs=0.001)
    assert first["upper_limit"] == pytest.approx(31.607, abs=0.001)
    assert [m["value"] for m in body["months"]] == [float(c) for c in COUNTS]
    assert body["metadata"]["revision"] == 1
    assert body["metadata"]["units"] == "number"
    assert body["metadata"]["suppression"]["threshold"] == 10
    assert AuditEntry.objects.filter(action="public.figure_signed_off", allowed=None).count() == 1


def test_the_proposer_cannot_sign_off_their_own_figure(client, people):
    figure = propose(people["alice"])
    with pytest.raises(actions.Refused, match="You proposed this figure"):
        actions.sign_off(figure=figure, by=people["alice"])
    refusal = AuditEntry.objects.get(action="public.figure_signed_off", allowed=False)
    assert refusal.actor == "alice"
    assert "second person" in refusal.reason
    # Through the page too: refused with the reason in an error summary.
    client.force_login(people["alice"])
    page = client.post(reverse("public:sign_off", args=[figure.pk]))
    assert page.status_code == 400
    assert b"govuk-error-summary" in page.content and b"You proposed this figure" in page.content
    assert public_answers(client, figure) == HIDDEN
    # A second data owner signs it off.
    dana = person("dana", (people["orgs"]["health"], Role.DATA_OWNER))
    actions.sign_off(figure=figure, by=dana)
    assert public_answers(client, figure) == SHOWN


def test_only_a_data_owner_signs_off(people):
    figure = propose(people["alice"])
    with pytest.raises(actions.Refused, match="Only a data owner"):
        actions.sign_off(figure=figure, by=people["bob"])
    figure.refresh_from_db()
    assert figure.status == PublishedFigure.Status.PROPOSED


def test_someone_without_the_outcomes_view_cannot_propose(people):
    with pytest.raises(actions.Refused, match="do not include permission"):
        propose(people["charlie"])
    assert not PublishedFigure.objects.exists()
    assert AuditEntry.objects.filter(action="public.figure_proposed", allowed=False).count() == 1


def test_withdrawing_removes_the_page_and_its_downloads(client, people):
    figure = propose(people["bob"])
    actions.sign_off(figure=figure, by=people["alice"])
    assert public_answers(client, figure) == SHOWN
    with pytest.raises(actions.Refused, match="Say why"):
        actions.withdraw(figure=figure, reason="  ", by=people["alice"])
    actions.withdraw(figure=figure, reason="A load was found to be incomplete.", by=people["alice"])
    assert public_answers(client, figure) == HIDDEN
    assert b"No published figure" in client.get(reverse("api:figure", args=[figure.pk])).content


def test_withdrawing_through_the_page_needs_a_reason(client, people):
    figure = propose(people["bob"])
    actions.sign_off(figure=figure, by=people["alice"])
    client.force_login(people["alice"])
    page = client.post(reverse("public:withdraw", args=[figure.pk]), {"reason": ""})
    assert page.status_code == 400
    assert b"govuk-error-summary" in page.content and b"Enter why it is withdrawn" in page.content
    done = client.post(reverse("public:withdraw", args=[figure.pk]), {"reason": "Wrong source."})
    assert done.status_code == 302
    assert public_answers(client, figure) == HIDDEN


def test_a_withheld_month_withholds_the_mean_and_limits_everywhere(client, people):
    counts = [3, *COUNTS[1:]]
    figure = propose(people["bob"], counts)
    actions.sign_off(figure=figure, by=people["alice"])
    client.logout()
    body = client.get(reverse("api:figure", args=[figure.pk])).json()
    first = body["months"][0]
    assert (first["numerator"], first["value"]) == (None, None)
    assert "fewer than 10 children" in first["withheld"]
    for month in body["months"]:
        assert (month["mean"], month["lower_limit"], month["upper_limit"]) == (None, None, None)
    assert body["metadata"]["suppression"]["limits_withheld"].startswith("The mean")
    csv = client.get(reverse("public:figure_csv", args=[figure.pk])).content.decode()
    # counted, out of, value, mean and limits all empty, then the reason
    assert '\n2024-01,,,,,,,"fewer than 10 children, or worked out from such a count"' in csv
    page = client.get(reverse("public:figure", args=[figure.pk])).content.decode()
    assert "The mean, process limits and signals are not shown" in page
    assert "A withheld month counts fewer than 10 children, or worked out from such a count" in page


def test_the_table_is_frozen_when_proposed(people):
    """What is signed off is what was proposed, whatever the data does after."""
    figure = propose(people["bob"])
    before = figure.table
    actions.sign_off(figure=figure, by=people["alice"])
    figure.refresh_from_db()
    assert figure.table == before
    assert [m["value"] for m in figure.table["months"]] == [float(c) for c in COUNTS]


def test_figures_are_published_at_most_monthly(people):
    with pytest.raises(actions.Refused, match="on or after 15 February 2025"):
        propose(people["bob"], next_update=TODAY + timedelta(days=20))
    figure = propose(people["bob"])
    actions.sign_off(figure=figure, by=people["alice"])
    with pytest.raises(actions.Refused, match="next update is due on 15 February 2025"):
        propose(people["bob"])
    # From the next update on, a new revision replaces the old once signed off.
    second = propose(people["bob"], today=date(2025, 2, 15), next_update=date(2025, 3, 15))
    assert second.revision == 2
    actions.sign_off(figure=second, by=people["alice"])
    figure.refresh_from_db()
    assert figure.status == PublishedFigure.Status.WITHDRAWN
    assert figure.withdrawn_reason == "Replaced by revision 2."


def test_every_month_withheld_is_nothing_to_publish(people):
    with pytest.raises(actions.Refused, match="nothing to publish"):
        propose(people["bob"], [3] * 12)


def test_a_data_owner_edits_the_data_strategy(client, people):
    with pytest.raises(actions.Refused, match="Only a data owner"):
        actions.edit_strategy(ambition="a", vision="b", purposes="c", by=people["bob"])
    client.force_login(people["alice"])
    empty = client.post(
        reverse("public:edit_strategy"), {"ambition": "", "vision": "", "purposes": ""}
    )
    assert empty.status_code == 200
    assert (
        b"govuk-error-summary" in empty.content and b"Enter our ambition for data" in empty.content
    )
    done = client.post(
        reverse("public:edit_strategy"),
        {
            "ambition": "Every child in Northshire is safe and does well.",
            "vision": "Partners use data together, openly.",
            "purposes": "Keep children safe\nImprove services",
        },
    )
    assert done.status_code == 302
    client.logout()
    page = client.get(reverse("public:strategy")).content.decode()
    assert "Every child in Northshire is safe and does well." in page
    assert "<li>Keep children safe</li>" in page and "<li>Improve services</li>" in page
    assert AuditEntry.objects.filter(action="public.strategy_edited", allowed=None).count() == 1


def test_the_propose_page_refuses_an_empty_form_with_a_summary(client, people):
    client.force_login(people["bob"])
    page = client.post(reverse("public:propose"), {})
    assert page.status_code == 200
    body = page.content.decode()
    assert "govuk-error-summary" in body
    for message in (
        "Choose the figure to publish.",
        "Enter what it means.",
        "Enter how it is counted.",
        "Enter the date of the next update.",
    ):
        assert message in body
    assert not PublishedFigure.objects.exists()


def test_rounding_where_the_place_sets_it(client, people, settings):
    """Rounded to the nearest 5: 20, 22, 18, 24, 20, 16, ... are published as 20, 20, 20, 25,
    20, 15, ...; the mean and limits, worked from exact counts, are withheld."""
    settings.PLACEWISE_DISCLOSURE_ROUND_TO = 5
    figure = propose(people["bob"])
    actions.sign_off(figure=figure, by=people["alice"])
    body = client.get(reverse("api:figure", args=[figure.pk])).json()
    assert [m["value"] for m in body["months"]] == [
        20.0, 20.0, 20.0, 25.0, 20.0, 15.0, 20.0, 20.0, 20.0, 25.0, 15.0, 20.0
    ]  # fmt: skip
    assert all(m["mean"] is None and m["upper_limit"] is None for m in body["months"])
    assert body["metadata"]["suppression"]["rounded_to"] == 5
    assert "rounded to the nearest 5" in body["metadata"]["suppression"]["limits_withheld"]
