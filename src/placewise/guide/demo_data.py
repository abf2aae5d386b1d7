"""The demo's resident service guide (issue 20, item 6): Northshire's recycling guide ("Which bin
does this go in?") with items and synonyms, three months of residents' searches, some of which
found nothing, and two of those gaps answered from the gap list — so the service sees gaps most
frequent first and how they closed. Everything is written through guide.actions.

Called from placewise.demo.build once Alice exists (e.g. at the end of _practice_and_leadership):

    from placewise.guide import demo_data as guide_demo
    guide_demo.build(council=orgs["council"], editor=users["alice"], today=date.today())
"""

from datetime import date, timedelta

from django.contrib.auth.models import User

from placewise.guide import actions, queries
from placewise.guide.models import Gap, Guide
from placewise.sharing import actors
from placewise.sharing.models import Organisation

KEY = "recycling"

# Item, answer, how, other words for it. The bins are the seed's kerbside scheme: a recycling
# bin, a general waste bin, a glass box and a food caddy.
ITEMS = (
    (
        "Plastic bottle",
        "Blue recycling bin",
        "Empty and rinse it; put the lid back on.",
        ["drinks bottle", "water bottle", "milk bottle"],
    ),
    (
        "Plastic bag",
        "General waste bin",
        "Carrier bags can go back to most supermarkets.",
        ["carrier bag", "bin liner"],
    ),
    (
        "Glass bottle",
        "Glass box",
        "Rinse it. Lids go in the blue recycling bin.",
        ["wine bottle", "beer bottle"],
    ),
    ("Glass jar", "Glass box", "Rinse it. Lids go in the blue recycling bin.", ["jam jar"]),
    (
        "Drinking glass",
        "General waste bin",
        "Wrap it first: it is not the same glass as jars.",
        ["window glass", "pyrex"],
    ),
    (
        "Pizza box",
        "Blue recycling bin",
        "Scrape off food; a greasy base goes in general waste.",
        ["takeaway box"],
    ),
    (
        "Food waste",
        "Food caddy",
        "Cooked and raw, bones and peelings.",
        ["leftovers", "tea bags", "peelings"],
    ),
    ("Tin can", "Blue recycling bin", "Empty and rinse it.", ["food tin", "drinks can"]),
    (
        "Battery",
        "Battery bag on the bin lid",
        "Never in a bin: they start fires in the lorry.",
        ["batteries"],
    ),
    (
        "Hard plastic",
        "Household recycling centre",
        "Toys, garden furniture, storage boxes.",
        ["plastic toy"],
    ),
)

# What residents searched, by how many days before today, and how often.
SEARCHES = (
    (80, "plastik botle", 3),
    (80, "nappies", 4),
    (75, "coffee cup", 2),
    (70, "pizza box", 5),
    (60, "nappies", 3),
    (50, "polystyrene", 2),
    (45, "wine bottle", 4),
    (40, "coffee cup", 3),
    (30, "light bulb", 2),
    (20, "nappies", 5),
    (12, "batteries", 3),
    (10, "polystyrene", 1),
    (5, "light bulb", 1),
    (2, "jam jar", 2),
)


def build(*, council: Organisation, editor: User, today: date) -> Guide:
    """Idempotent: returns the guide if it is there already."""
    found = Guide.objects.filter(key=KEY).first()
    if found is not None:
        return found
    guide = actions.create_guide(
        organisation=council,
        key=KEY,
        title="Which bin does this go in?",
        area="Northshire",
        introduction=(
            "Search for something you want to throw away to find which bin, box or caddy it "
            "goes in. If you are not sure, it is better in general waste than in recycling."
        ),
        by=editor,
    )
    for name, answer, detail, synonyms in ITEMS:
        actions.add_item(
            guide=guide,
            name=name,
            answer=answer,
            detail=detail,
            synonyms=synonyms,
            by=editor,
            today=today - timedelta(days=90),
        )
    for days, words, times in SEARCHES:
        on = today - timedelta(days=days)
        answered = queries.answered(queries.search(guide, words))
        for _ in range(times):
            actions.count_search(
                guide=guide,
                text=words,
                answered=answered,
                by=actors.member_of_the_public(),
                today=on,
            )
        if words == "polystyrene" and days == 10:
            # Polystyrene last week, after the second month it was asked for.
            actions.answer_gap(
                gap=Gap.objects.get(guide=guide, words="polystyrene", closed_on=None),
                name="Polystyrene",
                answer="General waste bin",
                detail="Packaging polystyrene cannot be recycled at the kerbside.",
                by=editor,
                today=on,
            )
        if words == "coffee cup" and days == 40:
            # The service answered coffee cups from the gap list after the second month's asks.
            actions.answer_gap(
                gap=Gap.objects.get(guide=guide, words="coffee cup", closed_on=None),
                name="Coffee cup",
                answer="General waste bin",
                detail="Takeaway cups are lined with plastic. Lids go in the recycling bin.",
                by=editor,
                today=on,
            )
    return guide
