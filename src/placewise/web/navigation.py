"""The product's navigation, in the order partners think about the learning loop, shaped to each
person: a section appears only when they can use at least one of its pages, and its link goes to
the first of those. A menu of pages that refuse you, or that can only ever be empty for you, is a
menu of dead ends."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse

from placewise.sharing.access import permissions_of
from placewise.sharing.permissions import Permission
from placewise.web import usable

Person = AbstractBaseUser | AnonymousUser


@dataclass(frozen=True)
class Page:
    """One page a section leads to, the permission it asks for (None: anyone signed in), and
    what else the person needs for the page to be of use to them (`needs`, asked only of those
    who hold the permission): a role may allow peer review at an organisation that has no
    practice teams, where the page could only ever be empty."""

    title: str
    url_name: str
    permission: Permission | None
    needs: Callable[[Person], bool] | None = None


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    summary: str
    pages: tuple[Page, ...]  # empty while the section is still to be built
    prefixes: tuple[str, ...] = ()  # paths under which the section is the current one


SECTIONS: tuple[Section, ...] = (
    Section(
        "data",
        "Data",
        "What each partner has loaded, what was rejected and why; agreements and the audit log.",
        (
            Page("Loads", "data:home", Permission.DATA_VIEW_LOADS),
            Page("Load a file", "data:upload", Permission.DATA_UPLOAD),
            Page("Your jobs", "jobs:list", Permission.OUTCOMES_VIEW),
            Page("Data sharing agreements", "sharing:agreements", Permission.AGREEMENT_VIEW),
            Page("Audit log", "sharing:audit", Permission.AUDIT_VIEW),
        ),
        ("/data/", "/sharing/"),
    ),
    Section(
        "outcomes",
        "Outcomes",
        "Indicators, signals and dashboards for the place.",
        (Page("Indicators", "outcomes:overview", Permission.OUTCOMES_VIEW),),
        ("/outcomes/",),
    ),
    Section(
        "learning",
        "Learning",
        "Data review sessions, actions and follow-ups; cohort journeys; a child's journey.",
        (
            # Partners' analysts and data owners join the sessions their agreements cover.
            Page("Data review sessions", "reviews:reviews", Permission.OUTCOMES_VIEW),
            Page("Actions", "reviews:actions", Permission.REVIEW_RUN),
            Page("Cohort journeys", "journeys:cohort", Permission.COHORT_VIEW),
            Page("Find a person", "journeys:find", Permission.PERSON_VIEW),
        ),
        ("/learning/",),
    ),
    Section(
        "practice",
        "Practice",
        "Peer review of casework, supervision, progress across reviews; operational and "
        "strategic reviews that start from children's journeys.",
        (
            # Pages are added here by practice/, supervision/ and service_reviews/ (issue 17).
            Page("Peer reviews", "practice:home", Permission.PRACTICE_REVIEW, usable.in_practice),
            Page("Review framework", "practice:framework", Permission.PRACTICE_FRAMEWORK),
            Page(
                "Peer review themes",
                "practice:themes",
                Permission.PRACTICE_THEMES,
                usable.in_practice,
            ),
            Page("Supervision", "supervision:home", Permission.PRACTICE_REVIEW, usable.in_practice),
            Page(
                "Your progress",
                "supervision:my_progress",
                Permission.PRACTICE_REVIEW,
                usable.in_practice,
            ),
            # Those who run the reviews, and the partners' leads a review's schedule invites.
            Page(
                "Operational and strategic reviews",
                "service_reviews:home",
                None,
                usable.at_service_reviews,
            ),
        ),
        ("/practice/", "/supervision/", "/service-reviews/"),
    ),
    Section(
        "setup",
        "Set-up",
        "The place's organisations, people and their roles, sources and agreements.",
        (
            Page("Organisations", "governance:organisations", Permission.PLACE_MANAGE),
            Page("People", "governance:people", Permission.PLACE_MANAGE),
            Page("Sources", "governance:sources", Permission.SOURCE_DECLARE),
            Page("Agreements", "governance:agreements", Permission.AGREEMENT_MANAGE),
        ),
        ("/governance/",),
    ),
    Section(
        "leadership",
        "Leadership",
        "4C plans, coaching, the system map and trust map.",
        (
            # A person's own development: every signed-in person has these pages (issue 18).
            Page("My leadership", "leadership:home", None),
            Page("4C action plan", "leadership:my_plan", None),
            Page("Coaching", "leadership:coaching_home", None),
            Page("360 feedback and culture scans", "surveys:home", None),
            Page("Initiatives and place projects", "initiatives:home", None),
            Page("System map", "systemmap:map", None),
            Page("Approaches", "approaches:home", None),
            Page("Place survey", "approaches:survey", None),
        ),
        ("/leadership/", "/surveys/", "/approaches/", "/system-map/", "/initiatives/"),
    ),
    Section(
        "community",
        "Community",
        "Co-design sessions, voices and you-said-we-did.",
        (
            # Engagements are run by those who run review sessions, at their own organisation.
            Page("Co-design engagements", "community:home", Permission.REVIEW_RUN),
            # Resident service guides: the council's service edits them and answers their gaps.
            Page("Resident service guides", "guide:manage", Permission.REVIEW_RUN),
        ),
        ("/community/", "/guide/"),
    ),
    Section(
        "public",
        "Public",
        "What residents can see without logging in, and publishing figures to it.",
        (
            Page("Published figures", "public:figures", None),
            Page("Public register", "public:register", None),
            # Proposing a figure, and a second person's sign-off (two-person output checking).
            Page("Publishing figures", "public:manage", Permission.OUTCOMES_VIEW),
        ),
        ("/public/",),
    ),
)


@dataclass(frozen=True)
class Item:
    """A section as one person's menu shows it."""

    section: Section
    url: str
    pages: tuple[tuple[Page, str], ...]  # the pages this person may use, with their URLs
    current: bool = False

    @property
    def coming(self) -> bool:
        return not self.section.pages


def menu(user: Person, path: str = "") -> list[Item]:
    """The sections this person may use, each linking to the first page they may open; sections
    still to be built link to their honest 'coming' page."""
    held = permissions_of(user)
    asked: dict[Callable[[Person], bool], bool] = {}  # each check once per menu

    def opens(page: Page) -> bool:
        if page.permission is not None and page.permission not in held:
            return False
        if page.needs is None:
            return True
        if page.needs not in asked:
            asked[page.needs] = page.needs(user)
        return asked[page.needs]

    items = []
    for section in SECTIONS:
        if not section.pages:
            url = _url("coming", section.slug)
            items.append(Item(section, url, (), path.startswith(url)))
            continue
        pages = tuple((page, _url(page.url_name)) for page in section.pages if opens(page))
        if pages:
            current = any(path.startswith(prefix) for prefix in section.prefixes)
            items.append(Item(section, pages[0][1], pages, current))
    return items


# The menu's links, by URLconf, script prefix (the mount point, fixed for a deployment) and page:
# neither changes while the process runs, and reversing some thirty names on every page was a
# tenth of a page's time (bench/load.py).
_urls: dict[tuple[object, str, str, str], str] = {}


def _url(name: str, section: str = "") -> str:
    key = (get_urlconf(), get_script_prefix(), name, section)
    found = _urls.get(key)
    if found is None:
        found = _urls[key] = reverse(name, kwargs={"section": section} if section else None)
    return found


def navigation(request: HttpRequest) -> dict[str, object]:
    """Template context: this person's menu, and which section is current."""
    # No menu before the second factor is done: every link would lead back to the code page.
    if not request.user.is_authenticated or request.path.startswith("/second-factor/"):
        return {"nav_items": []}
    return {"nav_items": menu(request.user, request.path)}
