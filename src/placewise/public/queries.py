"""Reads for the public portal. Only a signed-off figure is ever returned to the public: every
public page, download and API route asks here, never the model."""

from datetime import date
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from placewise.public.models import DataStrategy, PublishedFigure
from placewise.sharing.models import Membership
from placewise.sharing.permissions import Role

PLACE = "Place"
BIGGEST = 2**63 - 1


def published() -> QuerySet[PublishedFigure]:
    """Every figure the public may see now: signed off and not withdrawn."""
    return PublishedFigure.objects.filter(status=PublishedFigure.Status.PUBLISHED).select_related(
        "agreement"
    )


def published_figure(pk: int) -> PublishedFigure | None:
    """One published figure, or None: an unknown, proposed or withdrawn figure is all alike."""
    if not 0 < pk < BIGGEST:  # a number no database row can have is not asked of the database
        return None
    return published().filter(pk=pk).first()


def strategy() -> DataStrategy | None:
    """The place's data strategy as it stands (its newest version), if written."""
    return DataStrategy.objects.select_related("edited_by").first()


def awaiting() -> QuerySet[PublishedFigure]:
    """Figures proposed and waiting for a second person's sign-off."""
    return PublishedFigure.objects.filter(status=PublishedFigure.Status.PROPOSED).select_related(
        "proposed_by"
    )


def is_data_owner(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Whether the person is a data owner at some organisation of the place."""
    if not user.is_authenticated:
        return False
    return Membership.objects.filter(user_id=user.pk, role=Role.DATA_OWNER).exists()


def months(figure: PublishedFigure) -> list[dict[str, Any]]:
    """The frozen table's months, as proposed and signed off, each with its label."""
    return [
        m | {"label": f"{date.fromisoformat(m['period']):%B %Y}"} for m in figure.table["months"]
    ]


def columns(figure: PublishedFigure) -> dict[str, Any]:
    """Which counts a figure's table has: a count is out of nothing (its denominator is 1), a
    mean shows no sum of days."""
    every = figure.table["months"]
    return {
        "counted": any(m["numerator"] is not None for m in every),
        "out_of": figure.units != "number" and any(m["denominator"] for m in every),
        "withheld": next((m["withheld"] for m in every if m["withheld"]), ""),
    }


def metadata(figure: PublishedFigure) -> dict[str, Any]:
    """What a download says about its figure: definition, units, suppression, revision."""
    table = figure.table
    return {
        "id": figure.pk,
        "indicator": figure.indicator,
        "title": figure.title,
        "area": figure.team,
        "meaning": figure.meaning,
        "how_it_is_counted": figure.counting,
        "source": figure.source,
        "agreement": figure.agreement.title if figure.agreement else None,
        "units": figure.units,
        "revision": figure.revision,
        "signed_off_on": figure.signed_off_at.date().isoformat() if figure.signed_off_at else None,
        "next_update": figure.next_update.isoformat(),
        "suppression": {
            "threshold": table["threshold"],
            "rounded_to": table["round_to"],
            "mark": "A withheld figure is empty (null), with the reason in 'withheld'.",
            "limits_withheld": table["limits_withheld"],
        },
    }


def rows(figure: PublishedFigure) -> list[dict[str, Any]]:
    """One row a month: the figure's counts, value, and mean and limits where shown."""
    return [
        {
            "period": m["period"][:7],
            "numerator": m["numerator"],
            "denominator": m["denominator"],
            "value": m["value"],
            "mean": m["mean"],
            "lower_limit": m["lower"],
            "upper_limit": m["upper"],
            "withheld": m["withheld"],
        }
        for m in figure.table["months"]
    ]
