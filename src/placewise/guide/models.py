"""The resident service guide (issue 20, item 6): a guide a council publishes for its area
("Which bin does this go in?"), its items with their synonyms and answers, each item's history,
and what residents searched for — counted by the words, never by who searched — with the searches
that found no good answer kept as content gaps until the service answers them."""

from django.conf import settings
from django.db import models

from placewise.guide.matching import MAX_LENGTH
from placewise.sharing.models import Organisation


class Guide(models.Model):
    """One council's guide to one service for its area, e.g. recycling in Northshire."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="guides")
    key = models.SlugField(max_length=60, unique=True)  # in its public address: /guide/<key>/
    title = models.CharField(max_length=120)  # the question residents ask
    area = models.CharField(max_length=120)  # the council area it answers for
    introduction = models.TextField(blank=True, max_length=600)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["area", "title"]

    def __str__(self) -> str:
        return f"{self.title} ({self.area})"


class Item(models.Model):
    """Something a resident asks about, and the answer: 'Plastic bottle' → 'Recycling bin'."""

    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="items")
    name = models.CharField(max_length=MAX_LENGTH)
    answer = models.CharField(max_length=200)  # where it goes, in a few words
    detail = models.TextField(blank=True, max_length=1000)  # how: rinse it, lid on, ...
    synonyms = models.TextField(blank=True, max_length=2000)  # other words for it, one a line
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint("guide", "name", name="guide_item_name_unique")]

    def __str__(self) -> str:
        return self.name

    @property
    def synonym_list(self) -> list[str]:
        return [line.strip() for line in self.synonyms.splitlines() if line.strip()]


class Revision(models.Model):
    """An item as it was after each change: its history, with who made it and why."""

    class Change(models.TextChoices):
        ADDED = "added", "Added"
        CHANGED = "changed", "Changed"
        FROM_GAP = "from_gap", "Answered a search with no answer"

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="revisions")
    change = models.CharField(max_length=20, choices=Change.choices)
    name = models.CharField(max_length=MAX_LENGTH)
    answer = models.CharField(max_length=200)
    detail = models.TextField(blank=True)
    synonyms = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_change_display()})"


class SearchCount(models.Model):
    """How often these words were searched in a month, and how often they found no good answer.
    Nothing about who searched is kept: no address, no session, no time finer than the month."""

    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="search_counts")
    words = models.CharField(max_length=MAX_LENGTH)  # normalised
    month = models.DateField()  # its first day
    searches = models.PositiveIntegerField(default=0)
    unanswered = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint("guide", "words", "month", name="guide_search_count_unique")
        ]

    def __str__(self) -> str:
        return f"{self.words} ({self.month:%Y-%m})"


class Gap(models.Model):
    """Words residents searched for that found no good answer: content the guide is missing.
    Open until the service answers them (or an item's change makes them find one)."""

    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="gaps")
    words = models.CharField(max_length=MAX_LENGTH)
    searches = models.PositiveIntegerField(default=0)  # unanswered searches while open
    opened_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    answered_by = models.ForeignKey(
        Item, on_delete=models.SET_NULL, null=True, blank=True, related_name="closed_gaps"
    )

    class Meta:
        ordering = ["-searches", "words"]
        constraints = [
            models.UniqueConstraint(
                "guide",
                "words",
                condition=models.Q(closed_on__isnull=True),
                name="guide_one_open_gap_per_words",
            )
        ]

    def __str__(self) -> str:
        return self.words
