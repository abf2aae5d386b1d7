"""What a page served from cache costs the server: CPU and database queries per request of the
four pages bench/load.py asks for (dashboard, indicator, cohort journeys, Data), through Django's
test client in one process, as the demo's alice, bob and dana in turn, after each page has been
asked for once (so its figures are cached), with the figures served as under `placewise serve`.
CPU time, not wall time: it is what fifty people's pages take from the server's cores, and it is
steadier than wall time on a machine others share.

    PLACEWISE_HOME=var .venv/bin/python bench/page_cpu.py            # a home built by placewise demo
    PLACEWISE_HOME=var .venv/bin/python bench/page_cpu.py 30 --profile   # and where the time goes
"""

import cProfile
import os
import pstats
import sys
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "placewise.config.settings")
import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from placewise.outcomes import data  # noqa: E402
from placewise.sharing import second_factor, versions  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 30
PROFILE = "--profile" in sys.argv


def clients() -> list[Client]:
    """Signed in as the demo's alice, bob and dana (force_login stands for the second factor)."""
    people = get_user_model().objects.filter(username__in=["alice", "bob", "dana"])
    found = []
    for person in people.order_by("username"):
        client = Client()
        client.force_login(person)
        session = client.session
        session[second_factor.SESSION_KEY] = True
        session.save()
        found.append(client)
    return found


def main() -> None:
    data.BACKGROUND = True  # as under placewise serve
    data.work_out(versions.data())
    people = clients()
    every = sorted(data.indicators())
    # The indicators each may open (others are refused: a refusal is not what this measures).
    seen = [
        [k for k in every if c.get(f"/outcomes/indicators/{k}/").status_code == 200] for c in people
    ]
    pages: dict[str, Callable[[int, int], str]] = {
        "dashboard": lambda i, c: "/outcomes/",
        "indicator": lambda i, c: f"/outcomes/indicators/{seen[c][i % len(seen[c])]}/",
        "cohort": lambda i, c: "/learning/cohorts/",
        "data": lambda i, c: "/data/",
    }
    for url in pages.values():  # each page once per person: its figures are then cached
        for c, client in enumerate(people):
            assert client.get(url(0, c)).status_code == 200
    queries: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        queries.append(sql)
        return execute(sql, params, many, context)

    total_cpu, total = 0.0, 0
    for name, url in pages.items():
        profile = cProfile.Profile() if PROFILE else None
        queries.clear()
        cpu = time.process_time()
        with connection.execute_wrapper(count):
            for i in range(N):
                c = i % len(people)
                if profile:
                    profile.enable()
                answer = people[c].get(url(i, c))
                if profile:
                    profile.disable()
                assert answer.status_code == 200
        cpu = time.process_time() - cpu
        total_cpu, total = total_cpu + cpu, total + N
        print(
            f"{name:<10} {N} requests: CPU {cpu / N * 1000:5.1f} ms a request, "
            f"{len(queries) / N:4.1f} queries a request",
            flush=True,
        )
        if profile:
            for sql, n in Counter(q[:120] for q in queries).most_common(8):
                print(f"    {n / N:4.1f}  {sql}")
            stats = pstats.Stats(profile)
            stats.sort_stats("cumulative").print_stats(r"placewise|django/(template|urls)", 25)
    print(f"all four   CPU {total_cpu / total * 1000:5.1f} ms a request, over {total} requests")


if __name__ == "__main__":
    main()
