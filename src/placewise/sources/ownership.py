"""Who provides a source, and whether a person may load into it.

A source belongs to one organisation, registered once: by an administrator (`placewise source
register`), or by the first load that a person of that organisation makes into a new source name.
What a file says about itself (a mapping's `organisation`, the council's name for statutory
returns) is a claim to check against the registry, never a way to change it: the provider decides
who may see every record from the source, so a claim that could move it would hand one
organisation's data to another with a single upload.
"""

from dataclasses import dataclass

from django.contrib.auth.models import User

from placewise.sharing import actors
from placewise.sharing.access import permission
from placewise.sharing.models import Membership, Organisation
from placewise.sharing.permissions import Permission
from placewise.sources.models import Source


def provider_of(source: str) -> Organisation | None:
    """The organisation registered as this source's provider, if it is registered."""
    found = Source.objects.filter(name=source).select_related("organisation").first()
    return found.organisation if found else None


def home_organisation(by: User) -> Organisation | None:
    """The organisation a person's loads are listed under when no source can be settled: the
    first one in which they may load, else the first they belong to (None at the command line)."""
    if actors.is_command_line(by):
        return None
    decision = permission(by, Permission.DATA_UPLOAD)
    if decision.organisations:
        return decision.organisations[0]
    first = Membership.objects.filter(user_id=by.pk).select_related("organisation").first()
    return first.organisation if first else None


@dataclass(frozen=True)
class Claim:
    """May this load go ahead, for which organisation, and why (not)."""

    allowed: bool
    reason: str
    # The organisation the load belongs to: the provider when allowed; when refused, the
    # uploader's own (so the refusal is listed in their Data area, not the other partner's).
    organisation: Organisation | None
    register: bool = False  # the source is new and will be registered to `organisation`


def claim(*, by: User, source: str, named: str | None) -> Claim:
    """Check a file's claim to load into `source` as `named` (the organisation it names).

    `by` at the command line (`actors.command_line()`) is an operator who holds the place's secrets already: they
    may load into any registered source, but the file must still name its registered provider,
    and a new source may only be registered to an organisation that is already set up.
    """
    registered = Source.objects.filter(name=source).select_related("organisation").first()
    if actors.is_command_line(by):
        return _operator_claim(source, named, registered)
    decision = permission(by, Permission.DATA_UPLOAD)
    mine = decision.organisations
    own = next((o for o in mine if o.name == named), mine[0] if mine else None)
    if not decision.allowed:
        return Claim(False, decision.reason, home_organisation(by))
    names = " or ".join(o.name for o in mine)
    if registered is not None:
        provider = registered.organisation
        if provider not in mine:
            return Claim(
                False,
                f"The source '{source}' is provided by {provider.name}. You can load files only "
                f"into sources that {names} provides.",
                own,
            )
        if named != provider.name:
            return Claim(
                False,
                f"This file names '{named}' as its provider, but the source '{source}' is "
                f"provided by {provider.name}. Correct the organisation in the mapping file.",
                provider,
            )
        return Claim(True, f"{provider.name} provides the source '{source}'.", provider)
    if named not in {o.name for o in mine}:
        return Claim(
            False,
            f"This file names '{named}' as its provider, but you can load files only for "
            f"{names}. Correct the organisation in the mapping file, or ask {named} to load it.",
            own,
        )
    return Claim(
        True,
        f"The new source '{source}' is registered to {named}, whose person loaded it first.",
        own,
        register=True,
    )


def _operator_claim(source: str, named: str | None, registered: Source | None) -> Claim:
    organisation = Organisation.objects.filter(name=named).first() if named else None
    if registered is not None:
        provider = registered.organisation
        if named != provider.name:
            return Claim(
                False,
                f"This file names '{named}' as its provider, but the source '{source}' is "
                f"provided by {provider.name}. Correct the organisation in the mapping file.",
                organisation,
            )
        return Claim(True, f"{provider.name} provides the source '{source}'.", provider)
    if organisation is None:
        return Claim(
            False,
            f"This file names '{named}' as its provider, and no organisation of that name is set "
            "up in this place. An administrator adds it first "
            "(placewise organisation add --name NAME --kind KIND).",
            None,
        )
    return Claim(
        True,
        f"The new source '{source}' is registered to {organisation.name}.",
        organisation,
        register=True,
    )
