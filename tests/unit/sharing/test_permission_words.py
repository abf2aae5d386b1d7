"""A refusal names what the person may not do in words, never a permission's internal name."""

from placewise.sharing.access import _describe
from placewise.sharing.permissions import Permission


def test_every_permission_is_described_in_words():
    internal = [p.value for p in Permission if _describe(p) == p.value]
    assert not internal, f"permissions a refusal would name by their code: {internal}"
