"""Within one request each version counter is read once, and what a page asks of someone's roles
is read once (sharing/versions.py `pinned`, web/caching.py): a page's figures are of one version
throughout, and reading a counter on every cached read was a query each time (bench/load.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from placewise.sharing import versions
from placewise.sharing.access import permission, permissions_of
from placewise.sharing.models import Version
from placewise.sharing.permissions import Permission

pytestmark = pytest.mark.django_db


def _reads(queries: CaptureQueriesContext, table: str) -> int:
    return sum(1 for q in queries.captured_queries if f'FROM "{table}"' in q["sql"])


def test_outside_a_request_every_read_asks_the_database():
    with CaptureQueriesContext(connection) as queries:
        versions.data()
        versions.data()
    assert _reads(queries, "sharing_version") == 2


def test_in_a_request_a_counter_is_read_once_and_again_after_its_own_write():
    with versions.pinned():
        before = versions.data()
        with CaptureQueriesContext(connection) as queries:
            assert versions.data() == before
            assert versions.access() == versions.access()
        assert _reads(queries, "sharing_version") == 1  # access, once; data was read already
        versions.bump(Version.Of.DATA, reason="a load committed in this request")
        assert versions.data() == before + 1
    with CaptureQueriesContext(connection) as queries:
        assert versions.data() == before + 1
    assert _reads(queries, "sharing_version") == 1  # the block has ended: read again


def test_a_request_reads_someones_roles_once(people):
    alice = people["alice"]
    with versions.pinned(), CaptureQueriesContext(connection) as queries:
        held = permissions_of(alice)
        assert permission(alice, Permission.OUTCOMES_VIEW).allowed
        assert permission(alice, Permission.DATA_VIEW_LOADS).allowed
    assert Permission.OUTCOMES_VIEW in held
    assert _reads(queries, "sharing_membership") == 1


def test_a_page_reads_each_counter_once(client, people):
    # The outcomes overview reads the figures (data version), the signals, the months charted
    # and what the viewer may see (access version): each counter once, not once a read.
    client.force_login(people["alice"])
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/outcomes/").status_code == 200
    counters = [q["sql"] for q in queries.captured_queries if 'FROM "sharing_version"' in q["sql"]]
    assert len(counters) == 2, counters  # data and access
    assert _reads(queries, "sharing_membership") == 1
