"""Valid GB 11643 ID numbers for tests, unique within a run."""

import itertools
from datetime import date, timedelta

from wangge.people.identity import check_char

TEST_AREA = "110101"  # never used by the demo district, so test numbers never collide with it
_sequence = itertools.count(1)


def id_number(*, born: date | None = None, female: bool = False, area: str = TEST_AREA) -> str:
    n = next(_sequence)
    born = born or date(1960, 1, 1) + timedelta(days=n)
    first17 = f"{area}{born:%Y%m%d}{(2 * (n % 400)) + (0 if female else 1):03d}"
    return first17 + check_char(first17)
