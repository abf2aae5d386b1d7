"""Recording an opt-out: the register entry and the record's removal from both stores, all or
nothing after a crash at any moment (issue 16, docs/adr/0028).

The stores and the operational database cannot commit together, so an opt-out commits in order:
its register entry first (`actions.register_opt_out`, audited, with its removal still to do),
which is its commit point; then its removal from both stores (store/forget.py, itself one unit
through stores.replace); then the entry marked removed, audited with what was removed
(`actions.remove_opted_out`). A process that dies before the register entry commits did
nothing. One that dies after it left an entry whose removal is unfinished, and recovery (run
before every load, linkage run and serve, and as `placewise recover`) finishes it: removing a
record's rows again removes only what is still there. All of it runs under the load lock, as a
load does from its staging record to its outcome, so recovery only ever finishes the opt-out of
a process that died, and no load comes between the entry and the removal.
"""

from django.contrib.auth.models import User

from placewise.sharing import actions
from placewise.sharing.models import OptOut
from placewise.store import stores
from placewise.store.pseudonymise import Tokeniser


def opt_out(*, source: str, reference: str, secret: str, by: User) -> OptOut:
    """Add a person to the opt-out register, which holds their record back from later loads, and
    take out of both stores what earlier loads kept of it, with its links and review pairs.
    Saying it again removes anything a load stored in between."""
    token = Tokeniser(secret).token(source, reference)
    with stores.load_lock():
        entry = actions.register_opt_out(source=source, token=token, by=by)
        stores.crash_point("opt-out-registered")
        return actions.remove_opted_out(entry=entry, by=by)


def finish_interrupted(*, by: User) -> list[OptOut]:
    """Finish the removal of every opt-out whose process died after its register entry
    committed. Call holding the load lock (recovery does)."""
    return [
        actions.remove_opted_out(entry=entry, by=by, interrupted=True)
        for entry in OptOut.objects.filter(removed_at__isnull=True).order_by("pk")
    ]
