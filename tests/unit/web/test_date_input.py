"""The GOV.UK date input (issue 15, item 10): three boxes and GOV.UK's messages, named by the
field's label. Expected messages are written out from GOV.UK's date input pattern."""

import datetime as dt

import pytest
from django import forms

from placewise.reviews.forms import SessionForm
from placewise.web.dates import DateField


class Form(forms.Form):
    held_on = DateField(
        label="Date of the session", error_messages={"required": "Enter the date of the session."}
    )
    follow_up_on = DateField(label="Date of the follow-up (optional)", required=False)


def errors(day: str, month: str, year: str) -> list[str]:
    form = Form({"held_on-day": day, "held_on-month": month, "held_on-year": year})
    assert not form.is_valid()
    return form.errors["held_on"]


def test_three_boxes_make_a_date():
    form = Form({"held_on-day": " 7 ", "held_on-month": "12", "held_on-year": "2026"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"held_on": dt.date(2026, 12, 7), "follow_up_on": None}


def test_a_month_may_be_written_as_a_word():
    form = Form({"held_on-day": "31", "held_on-month": "Mar", "held_on-year": "2026"})
    assert form.is_valid() and form.cleaned_data["held_on"] == dt.date(2026, 3, 31)


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("", "", "", "Enter the date of the session."),
        ("15", "", "2026", "Date of the session must include a month."),
        ("", "1", "2026", "Date of the session must include a day."),
        ("15", "1", "", "Date of the session must include a year."),
        ("", "", "2026", "Date of the session must include a day and month."),
        ("31", "2", "2026", "Date of the session must be a real date."),
        ("30", "13", "2026", "Date of the session must be a real date."),
        ("x", "1", "2026", "Date of the session must be a real date."),
        ("15", "1", "26", "Year must include 4 numbers."),
    ],
)
def test_govuk_messages(day, month, year, message):
    assert errors(day, month, year) == [message]


def test_an_optional_date_left_empty_is_none_but_half_typed_is_an_error():
    base = {"held_on-day": "1", "held_on-month": "1", "held_on-year": "2026"}
    half = Form(
        {**base, "follow_up_on-day": "", "follow_up_on-month": "4", "follow_up_on-year": ""}
    )
    assert half.errors["follow_up_on"] == ["Date of the follow-up must include a day and year."]


def test_a_link_may_carry_an_iso_date():
    assert Form({"held_on": "2026-03-31"}).is_valid()
    assert Form({"held_on": "2026-02-31"}).errors["held_on"] == [
        "Date of the session must be a real date."
    ]


def test_the_page_draws_boxes_marks_the_missing_one_and_keeps_what_was_typed():
    from django.template import Context, Template

    form = SessionForm(
        {"held_on-day": "15", "held_on-month": "", "held_on-year": "2026"},
        teams=["Place"],
        organisations=(),
    )
    form.is_valid()
    html = Template("{% load dates %}{% date_input form.held_on %}").render(Context({"form": form}))
    assert 'type="date"' not in html
    assert 'name="held_on-day"' in html and 'value="15"' in html and 'value="2026"' in html
    assert "Date of the session must include a month." in html
    # Only the empty month box is marked, as GOV.UK asks.
    assert html.count("govuk-input--error") == 1
    assert 'govuk-input--error" id="id_held_on-month"' in html
    assert form["held_on"].id_for_label == "id_held_on-day"  # the error summary's link
