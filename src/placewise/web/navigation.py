"""The product's navigation, in the order partners think about the learning loop."""

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    summary: str
    url_name: str | None  # None while the section is still to be built


SECTIONS: tuple[Section, ...] = (
    Section(
        "data", "Data", "What each partner has loaded, what was rejected and why.", "data:home"
    ),
    Section(
        "outcomes",
        "Outcomes",
        "Indicators, signals and dashboards for the place.",
        "outcomes:overview",
    ),
    Section(
        "learning",
        "Learning",
        "Data review sessions, actions, follow-ups, peer review.",
        "learning:reviews",
    ),
    Section("leadership", "Leadership", "4C plans, coaching, the system map and trust map.", None),
    Section("community", "Community", "Co-design sessions, voices and you-said-we-did.", None),
    Section("public", "Public", "What residents can see without logging in.", "public:register"),
)


def section_url(section: Section) -> str:
    """The section's page, or its honest 'coming' page while it is not built."""
    if section.url_name:
        return reverse(section.url_name)
    return reverse("coming", kwargs={"section": section.slug})


def navigation(request: HttpRequest) -> dict[str, object]:
    """Template context: the sections with their links and which one is current."""
    items = []
    for section in SECTIONS:
        url = section_url(section)
        items.append({"section": section, "url": url, "current": request.path.startswith(url)})
    return {"nav_items": items}
