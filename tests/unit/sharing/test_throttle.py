"""One count of requests per address per minute (sharing.throttle), used by the public API, the
public pages and the residents' guide alike. Counted here in this process's own cache, with the
clock given: a minute's window starts on the minute."""

import uuid

from placewise.sharing import throttle

# 10:00:15 on some day, as seconds since the epoch: 28,000,000 minutes and 15 seconds.
MINUTE = 28_000_000 * 60
AT = MINUTE + 15.0


def _scope() -> str:
    return f"test-{uuid.uuid4().hex}"  # a budget no other test counts against


def _from(address: str) -> dict[str, str]:
    return {"REMOTE_ADDR": address}


def test_the_limit_is_a_count_per_address_per_minute():
    scope = _scope()
    counts = [
        throttle.count(_from("198.51.100.1"), scope=scope, limit=3, cache="local", now=AT + n)
        for n in range(4)
    ]
    assert [c.allowed for c in counts] == [True, True, True, False]
    # At 10:00:18 the window ends in 42 seconds; Retry-After rounds up to the next second: 43.
    assert counts[3].retry_after == 60 - 18 + 1
    # Another address is not held up, nor another budget for the same address.
    other = throttle.count(_from("198.51.100.2"), scope=scope, limit=3, cache="local", now=AT)
    apart = throttle.count(_from("198.51.100.1"), scope=_scope(), limit=3, cache="local", now=AT)
    assert other.allowed and apart.allowed
    # The next minute starts a new count.
    next_minute = throttle.count(
        _from("198.51.100.1"), scope=scope, limit=3, cache="local", now=MINUTE + 60.0
    )
    assert next_minute.allowed and next_minute.retry_after == 61


def test_a_limit_of_one_lets_one_through():
    scope = _scope()
    first = throttle.count(_from("203.0.113.9"), scope=scope, limit=1, cache="local", now=AT)
    second = throttle.count(_from("203.0.113.9"), scope=scope, limit=1, cache="local", now=AT)
    assert (first.allowed, second.allowed) == (True, False)
