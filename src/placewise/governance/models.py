"""The place itself, invitations to join it, and the mapping file declared for each source."""

from datetime import datetime

from django.conf import settings
from django.db import models

from placewise.sharing.links import OnceLink
from placewise.sharing.models import Organisation
from placewise.sharing.permissions import Role


class Place(models.Model):
    """One row: the place `placewise init` set up. Its existence is what "already set up" means."""

    name = models.CharField(max_length=200)
    set_up_at = models.DateTimeField(auto_now_add=True)
    set_up_by = models.CharField(max_length=150)

    def __str__(self) -> str:
        return self.name


class Invitation(OnceLink):
    """An invitation to join the place with one role, by a link (sharing.links): the link carries
    a signed secret; only its hash is kept, so a copy of the database gives no one a working
    link."""

    full_name = models.CharField(max_length=150)
    username = models.CharField(max_length=150)
    email = models.EmailField(blank=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=40)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"invitation for {self.username}"

    @property
    def link_used(self) -> bool:
        return self.used_at is not None

    def mark_link_used(self, moment: datetime) -> None:
        self.used_at = moment
        self.save(update_fields=["used_at"])

    @property
    def role_label(self) -> str:
        """The role in words, as the people page and the invitation say it."""
        return Role(self.role).label if self.role in {r.value for r in Role} else self.role


class SourceMapping(models.Model):
    """The mapping file declared for a source, as uploaded and checked."""

    source = models.CharField(max_length=100, unique=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(max_length=200)
    text = models.TextField()
    event_kinds = models.JSONField(default=list)
    declared_by = models.CharField(max_length=150)
    declared_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["source"]

    def __str__(self) -> str:
        return f"mapping for {self.source}"
