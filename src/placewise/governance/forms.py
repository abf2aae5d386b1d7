"""Forms for setting the place up. Each refuses what is missing or malformed with a message that
names the field, shown in the page's error summary."""

from datetime import date
from typing import Any

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.core.validators import RegexValidator

from placewise.governance.models import SourceMapping
from placewise.sharing.models import Agreement, Organisation, SharedDataset
from placewise.sharing.permissions import Role
from placewise.sources import naming
from placewise.sources.models import Source
from placewise.web.dates import DateField
from placewise.web.labels import EVENT_KINDS

REQUIRED = "Enter {label}"
SHAREABLE_FIELDS = [
    ("month_of_birth", "Month of birth"),
    ("sex", "Sex"),
    ("postcode_sector", "Postcode sector"),
]
username_format = RegexValidator(
    r"^[a-z0-9_.-]{2,40}$",
    "Username must be 2 to 40 lower-case letters, digits, dots, hyphens or underscores",
)


def _messages(form: forms.Form) -> None:
    """GOV.UK error messages that name the field ("Enter the organisation's name")."""
    for field in form.fields.values():
        text = str(field.label or "")
        label = text[:1].lower() + text[1:]
        field.error_messages.setdefault("required", "")
        field.error_messages["required"] = REQUIRED.format(label=label)
        if isinstance(field, forms.ChoiceField):
            # A list is chosen from, not typed in (GOV.UK: "Select ..."). bandit reads "Select ...
            # from" as SQL: these are messages shown to a person.
            field.error_messages["required"] = f"Select {label}"
            field.error_messages["invalid_choice"] = f"Select {label} from the list"  # nosec B608
        if isinstance(field, forms.DateField):
            field.error_messages["invalid"] = f"{field.label} must be a real date, like 2027-03-31"
        if isinstance(field, forms.IntegerField):
            field.error_messages["invalid"] = f"{field.label} must be a whole number"


class GovukForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _messages(self)


class OrganisationForm(GovukForm):
    name = forms.CharField(label="Organisation name", max_length=200)
    kind = forms.ChoiceField(
        label="Kind of organisation",
        choices=[
            ("", "Choose a kind"),
            *[(k, v) for k, v in Organisation.Kind.choices if k != "other"],
        ],
    )

    def clean_name(self) -> str:
        name = str(self.cleaned_data["name"]).strip()
        if Organisation.objects.filter(name__iexact=name).exists():
            raise forms.ValidationError(f"Organisation name: '{name}' is already set up")
        return name


def _organisation_choices() -> list[tuple[str, str]]:
    return [("", "Choose an organisation")] + [
        (str(o.pk), o.name) for o in Organisation.objects.all()
    ]


ROLE_CHOICES = [("", "Choose a role")] + [(r.value, r.label.capitalize()) for r in Role]


class InvitationForm(GovukForm):
    full_name = forms.CharField(label="Full name", max_length=150)
    username = forms.CharField(label="Username", max_length=40, validators=[username_format])
    email = forms.EmailField(label="Email address", required=False)
    organisation = forms.ChoiceField(label="Organisation")
    role = forms.ChoiceField(label="Role", choices=ROLE_CHOICES)
    days = forms.IntegerField(label="Days the link works", min_value=1, max_value=30, initial=7)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = _organisation_choices()  # type: ignore[attr-defined]
        self.fields["email"].error_messages["invalid"] = (
            "Email address must be like name@example.org"
        )
        self.fields["days"].error_messages["min_value"] = "Days the link works must be 1 or more"
        self.fields["days"].error_messages["max_value"] = "Days the link works must be 30 or fewer"

    def clean_username(self) -> str:
        username = str(self.cleaned_data["username"])
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(f"Username: '{username}' is already someone's")
        return username

    def clean_organisation(self) -> Organisation:
        return Organisation.objects.get(pk=self.cleaned_data["organisation"])


class RoleForm(GovukForm):
    organisation = forms.ChoiceField(label="Organisation")
    role = forms.ChoiceField(label="Role", choices=ROLE_CHOICES)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = _organisation_choices()  # type: ignore[attr-defined]

    def clean_organisation(self) -> Organisation:
        return Organisation.objects.get(pk=self.cleaned_data["organisation"])


class DataOwnerForm(GovukForm):
    person = forms.ChoiceField(label="Data owner")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = get_user_model().objects.filter(is_active=True).order_by("username")
        self.fields["person"].choices = [("", "Choose a person")] + [  # type: ignore[attr-defined]
            (str(p.pk), f"{p.get_full_name() or p.username} ({p.username})") for p in people
        ]

    def clean_person(self) -> Any:
        return get_user_model().objects.get(pk=self.cleaned_data["person"])


class DeactivateForm(GovukForm):
    reason = forms.CharField(label="Reason", max_length=300)


class PasswordForm(GovukForm):
    """The invited person chooses their password (Django's validators, as everywhere)."""

    password1 = forms.CharField(label="Password", widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label="Password again", widget=forms.PasswordInput, strip=False)

    def __init__(self, *args: Any, username: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.username = username

    def clean_password2(self) -> str:
        first, second = self.cleaned_data.get("password1"), self.cleaned_data["password2"]
        if first and first != second:
            raise forms.ValidationError("Password again: the two passwords are not the same")
        return str(second)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password = cleaned.get("password1")
        if password:
            user = get_user_model()(username=self.username)
            try:
                password_validation.validate_password(password, user)
            except forms.ValidationError as weak:
                self.add_error("password1", [f"Password: {m}" for m in weak.messages])
        return cleaned


class SourceForm(GovukForm):
    name = forms.CharField(
        label="Source name",
        max_length=100,
        validators=[
            RegexValidator(
                r"^[a-z][a-z0-9_]{1,99}$",
                "Source name must be lower-case letters, digits and underscores, "
                "starting with a letter",
            )
        ],
    )
    organisation = forms.ChoiceField(label="Organisation providing it")
    mapping = forms.FileField(label="Mapping file")

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [("", "Choose an organisation")] + [  # type: ignore[attr-defined]
            (str(o.pk), o.name) for o in organisations
        ]
        self.fields["mapping"].error_messages["required"] = "Choose a mapping file"
        self.fields["mapping"].error_messages["empty"] = "Mapping file: the file is empty"

    def clean_organisation(self) -> Organisation:
        return Organisation.objects.get(pk=self.cleaned_data["organisation"])


class SourceTitleForm(GovukForm):
    """A source's name as people say it. Its length and whether another source has it are the
    action's to refuse (sources.naming.rename_source), so the command line is held to them too."""

    title = forms.CharField(
        label="Name people use",
        help_text='What people across the partnership call these records, like "Missing from '
        'home reports". Pages show this name; the code stays as it is for mapping files and '
        "analysts.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title"].error_messages["required"] = (
            "Enter the name people use for this source"
        )


class AgreementForm(GovukForm):
    title = forms.CharField(label="Title", max_length=200)
    purpose = forms.CharField(label="Purpose", widget=forms.Textarea)
    purpose_category = forms.ChoiceField(
        label="Category of purpose", choices=[("", "Choose a category"), *Agreement.Purpose.choices]
    )
    article6 = forms.ChoiceField(
        label="Lawful basis (Article 6)",
        choices=[("", "Choose a basis"), *Agreement.Article6.choices],
    )
    article9 = forms.ChoiceField(
        label="Special category condition (Article 9)",
        choices=Agreement.Article9.choices,
        required=False,
    )
    statutes = forms.CharField(label="Statute", max_length=300)
    parties = forms.MultipleChoiceField(label="Parties", widget=forms.CheckboxSelectMultiple)
    retention_days = forms.IntegerField(label="Retention in days", min_value=1, max_value=36500)
    review_date = DateField(label="Review date")
    ends_on = DateField(label="End date (optional)", required=False)

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["parties"].choices = [(str(o.pk), o.name) for o in Organisation.objects.all()]  # type: ignore[attr-defined]
        self.fields["parties"].error_messages["required"] = "Select at least two parties"
        self.fields["retention_days"].error_messages["min_value"] = (
            "Retention in days must be 1 or more"
        )
        self.fields["retention_days"].error_messages["max_value"] = (
            "Retention in days must be 36,500 (100 years) or fewer"
        )

    def clean_parties(self) -> list[Organisation]:
        chosen = list(Organisation.objects.filter(pk__in=self.cleaned_data["parties"]))
        if len(chosen) < 2:
            raise forms.ValidationError("Parties: select at least two organisations")
        return chosen

    def clean_review_date(self) -> date:
        review: date = self.cleaned_data["review_date"]
        if review <= self.today:
            raise forms.ValidationError("Review date must be in the future")
        return review

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        review, ends = cleaned.get("review_date"), cleaned.get("ends_on")
        if review and ends and ends < review:
            self.add_error("ends_on", "End date must be on or after the review date")
        return cleaned


class DatasetForm(GovukForm):
    source = forms.ChoiceField(label="Source")
    recipient = forms.ChoiceField(label="Shared with")
    level = forms.ChoiceField(
        label="Level", choices=[("", "Choose a level"), *SharedDataset.Level.choices]
    )
    event_kinds = forms.MultipleChoiceField(
        label="Kinds of event shared", widget=forms.CheckboxSelectMultiple
    )
    fields_shared = forms.MultipleChoiceField(
        label="Fields shared",
        choices=SHAREABLE_FIELDS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, agreement: Agreement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parties = [p.organisation for p in agreement.parties.select_related("organisation")]
        self.sources = {s.name: s for s in Source.objects.filter(organisation__in=parties)}
        self.fields["source"].choices = [("", "Choose a source")] + [  # type: ignore[attr-defined]
            (name, f"{naming.title_of(s)} ({name}, {s.organisation.name})")
            for name, s in self.sources.items()
        ]
        self.fields["recipient"].choices = [("", "Choose a party")] + [  # type: ignore[attr-defined]
            (str(o.pk), o.name) for o in parties
        ]
        declared = {
            k for m in SourceMapping.objects.filter(source__in=self.sources) for k in m.event_kinds
        }
        kinds = {
            **EVENT_KINDS,
            **{k: EVENT_KINDS.get(k, k.replace("_", " ").capitalize()) for k in declared},
        }
        self.fields["event_kinds"].choices = sorted(kinds.items(), key=lambda kv: kv[1])  # type: ignore[attr-defined]
        self.fields["event_kinds"].error_messages["required"] = (
            "Select at least one kind of event shared"
        )
        self.fields["fields_shared"].error_messages["invalid_choice"] = (
            "Select fields shared from the list"
        )
        self.fields["event_kinds"].error_messages["invalid_choice"] = (
            "Select kinds of event shared from the list"
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        source, recipient = cleaned.get("source"), cleaned.get("recipient")
        if source and recipient:
            provider = self.sources[source].organisation
            if str(provider.pk) == recipient:
                self.add_error(
                    "recipient", "Shared with must be a party other than the source's provider"
                )
            cleaned["provider"] = provider
            cleaned["recipient"] = Organisation.objects.get(pk=recipient)
        return cleaned


CHANGE_LABELS = {
    "suspend": "Suspend it: no one sees data under it until it is reinstated",
    "reinstate": "Reinstate it: it is in force again",
    "end": "End it: it stops for good (a new agreement is needed to share again)",
}


class StatusForm(GovukForm):
    """Suspend, reinstate or end an agreement: the choices its status allows, and why."""

    change = forms.ChoiceField(label="What to do", widget=forms.RadioSelect)
    reason = forms.CharField(label="Reason", max_length=500, widget=forms.Textarea)

    def __init__(self, *args: Any, allowed: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["change"].choices = [(c, CHANGE_LABELS[c]) for c in allowed]  # type: ignore[attr-defined]
        self.fields["change"].error_messages["required"] = "Select what to do"
        self.fields["reason"].error_messages["required"] = "Enter the reason"
