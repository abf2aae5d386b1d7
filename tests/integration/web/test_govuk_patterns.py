"""GOV.UK patterns (issue 15, items 9 and 10): every required field says what to do in its own
words, a page with form errors says "Error:" in its title, and finding a person picks the source
from a list and tells a mistyped reference from withheld data."""

import importlib
import inspect

import pytest
from django import forms
from django.urls import reverse

from placewise.sharing.models import AuditEntry

pytestmark = pytest.mark.django_db
FORMS = (
    "placewise.reviews.forms",
    "placewise.journeys.forms",
    "placewise.sources.forms",
    "placewise.linkage.forms",
)


def test_no_required_field_says_only_this_field_is_required():
    default = forms.Field.default_error_messages["required"]
    plain, checked = [], 0
    for name in FORMS:
        module = importlib.import_module(name)
        for form_name, form in inspect.getmembers(module, inspect.isclass):
            if not issubclass(form, forms.BaseForm) or form.__module__ != name:
                continue
            for field_name, field in form.base_fields.items():
                if field.required:
                    checked += 1
                    if field.error_messages.get("required") == default:
                        plain.append(f"{form_name}.{field_name}")
    assert checked > 10 and not plain, plain


def test_a_page_with_form_errors_says_error_in_its_title(client, people):
    client.force_login(people["alice"])
    page = client.post(reverse("reviews:reviews"), {"attendees": ""})
    text = page.content.decode()
    assert "<title>Error: " in text
    assert "Enter the date of the session." in text and "Say who attended." in text
    assert "This field is required." not in text


def test_finding_a_person_picks_a_registered_source(client, people, shared_place):
    client.force_login(people["alice"])
    page = client.get(reverse("journeys:find"))
    choices = dict(page.context["form"].fields["source"].choices)
    assert "council_csc" in choices and "Northshire" in choices["council_csc"]
    typo = client.post(
        reverse("journeys:find"),
        {"source": "council_cs", "reference": "CH1", "purpose": "safeguarding"},
    )
    assert "there is no source called that" in typo.content.decode()


def test_a_mistyped_reference_in_ones_own_source_says_so_and_is_audited(
    client, people, shared_place
):
    client.force_login(people["alice"])
    session = client.session
    session["person_purpose:council_csc:NOPE404"] = "safeguarding"
    session.save()
    page = client.get(reverse("journeys:person", args=["council_csc", "NOPE404"]))
    if page.status_code == 302:  # the purpose is asked for first
        client.post(
            reverse("journeys:find"),
            {"source": "council_csc", "reference": "NOPE404", "purpose": "safeguarding"},
        )
        page = client.get(reverse("journeys:person", args=["council_csc", "NOPE404"]))
    assert page.status_code == 404
    assert "There is no record with the case reference NOPE404" in page.content.decode()
    assert AuditEntry.objects.filter(action="person.not_found", target="council_csc/NOPE404")
