"""Every kind of event the readers make and every audit action the code records has a name in
plain English (web/labels.py): no page shows `cin_episode` or `person.read` (issue 15)."""

import re
from pathlib import Path

from placewise.sources.readers import spec, ssda903
from placewise.web import labels

SRC = Path(__file__).resolve().parents[3] / "src" / "placewise"


def kinds_made() -> set[str]:
    found = {t.event_kind for t in spec.LISTS.values()}
    found |= {t.event_kind for t in ssda903.TABLES.values() if t.event_kind}  # header: none
    census = (SRC / "sources" / "readers" / "cin_census.py").read_text(encoding="utf-8")
    found |= set(re.findall(r'event\(\s*"([a-z_0-9]+)"', census))
    for path in (SRC / "synth").glob("*.py"):  # the partner files' mappings
        found |= set(re.findall(r'kind = "([a-z_0-9]+)"', path.read_text(encoding="utf-8")))
    return found


def audit_actions() -> set[str]:
    found: set[str] = set()
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        found |= set(re.findall(r'\baction="([a-z_]+\.[a-z_.]+)"', text))
    return found


def test_the_scans_find_what_they_look_for():
    assert {"referral", "cin_episode", "cp_plan", "ae_attendance"} <= kinds_made()
    assert {"person.read", "review.verdict", "retention.purge"} <= audit_actions()


def test_every_kind_of_event_has_a_name():
    assert not kinds_made() - set(labels.EVENT_KINDS)


def test_every_audit_action_has_a_name():
    assert not audit_actions() - set(labels.AUDIT_ACTIONS)


def test_a_code_without_a_name_is_still_readable():
    assert labels.event_kind("new_kind_of_thing") == "New kind of thing"
    assert labels.audit_action("thing.done") == "Thing done"
    assert labels.event_kind("cin_episode") == "Child in need episode"
