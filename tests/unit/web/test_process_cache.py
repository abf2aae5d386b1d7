"""Each process's own copy of the shared cache (web/caching.py ProcessMemoryCache): values kept
as they are, not pickled; expired entries gone; the oldest dropped past its size."""

import time

from placewise.web.caching import ProcessMemoryCache


def cache(entries: int = 3) -> ProcessMemoryCache:
    return ProcessMemoryCache("test", {"OPTIONS": {"MAX_ENTRIES": entries}})


def test_a_value_is_kept_as_it_is_not_copied():
    kept, table = cache(), [("contacts", 2025, 10)]
    kept.set("table", table)
    assert kept.get("table") is table  # LocMemCache would hand back an unpickled copy


def test_an_expired_entry_is_gone():
    kept = cache()
    kept.set("gone", 1, timeout=0.01)
    kept.set("kept", 2, timeout=None)
    time.sleep(0.05)
    assert kept.get("gone", "missing") == "missing"
    assert not kept.has_key("gone")
    assert kept.get("kept") == 2


def test_the_least_recently_read_entry_is_dropped_past_the_size():
    kept = cache(entries=2)
    kept.set("a", 1)
    kept.set("b", 2)
    assert kept.get("a") == 1  # read: now the most recent
    kept.set("c", 3)
    assert (kept.get("a"), kept.get("b"), kept.get("c")) == (1, None, 3)


def test_add_does_not_replace_and_delete_and_clear_remove():
    kept = cache()
    assert kept.add("k", 1) is True
    assert kept.add("k", 2) is False
    assert kept.get("k") == 1
    assert kept.delete("k") is True and kept.delete("k") is False
    kept.set("x", 1)
    kept.clear()
    assert kept.get("x") is None
