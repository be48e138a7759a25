"""Dividing a whole number among parts."""

import numpy as np


def allocate(total: int, weights: list[float], minimum: int) -> list[int]:
    """Largest-remainder shares of `total`, each at least `minimum`."""
    spare = total - minimum * len(weights)
    raw = np.array(weights) / sum(weights) * spare
    shares = np.floor(raw).astype(int)
    for i in np.argsort(-(raw - shares), kind="stable")[: spare - shares.sum()]:
        shares[i] += 1
    return [minimum + int(s) for s in shares]
