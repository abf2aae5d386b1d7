"""Work out one version of the figures in a process of its own, at the jobs worker's lower CPU
priority: started by a web worker under `placewise serve` (outcomes/data.py), so that the tens of
seconds of CPU it takes, most of it holding the GIL, are not taken from the pages that worker
serves meanwhile.

    python -m placewise.outcomes.refresh NUMBER NICENESS
"""

import os
import sys


def main(argv: list[str]) -> int:
    # Below the web workers (PLACEWISE_WORKER_NICE, as a load or a linkage run in the jobs worker
    # is: ADR 0022), before anything else: Django's start-up is a second or two of CPU too.
    os.nice(max(0, min(19, int(argv[2]))))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "placewise.config.settings")
    import django

    django.setup()
    from django.core.cache import caches

    from placewise.outcomes import data

    try:
        data.work_out(int(argv[1]))
    finally:
        caches["default"].delete(data.REFRESHING)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
