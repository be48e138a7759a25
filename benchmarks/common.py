"""What both benchmarks share: the best-of-N timer and the line that names the machine."""

import os
import platform
import time

import numpy as np
import shapely


def best_of(repeat: int, function):
    """(best wall-clock seconds, result of the last run)."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - start)
    return best, result


def machine_line(name: str, repeat: int) -> str:
    return (
        f"{name}: Python {platform.python_version()}, Shapely {shapely.__version__}, GEOS {shapely.geos_version_string}, "
        f"numpy {np.__version__}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}; best of {repeat} runs"
    )
