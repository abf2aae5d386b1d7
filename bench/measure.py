"""Run a command and print its wall time and peak memory (the largest child's maxrss) as JSON.

Run as a script in a fresh process (so the peak is that command's alone); `measured()` does that.
"""

import json
import resource
import subprocess
import sys
import time
from pathlib import Path


def measured(command: list[str], env: dict[str, str]) -> dict[str, float]:
    """Wall time (s), peak memory (MiB) and exit code of a command, measured in its own process."""
    out = subprocess.run(
        [sys.executable, str(Path(__file__)), *command],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


if __name__ == "__main__":
    started = time.perf_counter()
    code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL)
    elapsed = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"seconds": elapsed, "peak_mib": peak_kib / 1024, "exit": code}))
