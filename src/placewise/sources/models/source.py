from typing import Any

from django.db import models

from placewise.sharing.models import Organisation


class Source(models.Model):
    """A named stream of records (a council's case system, a trust's A&E extract) and the one
    organisation that provides it. Registered once; a load never changes who provides a source,
    because every person-level and aggregate decision starts from the provider."""

    name = models.CharField(max_length=100, unique=True)
    # The name people say ("Children's social care records"): what pages show (sources.naming).
    # `name` is the code files and analysts use. From the mapping file's [source] title, or the
    # council's statutory returns' own; blank until one is given.
    title = models.CharField(max_length=200, blank=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="sources")
    registered_by_name = models.CharField(max_length=150)
    registered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            before = (
                Source.objects.filter(pk=self.pk).values_list("organisation_id", "name").first()
            )
            if before is not None and before != (self.organisation_id, self.name):
                raise ValueError("a source's name and provider are fixed when it is registered")
        super().save(*args, **kwargs)
