"""Following a case from the public portal (进度查询) with its receipt number and follow code.

Receipt numbers are sequential and so guessable; the follow code (查询码), an HMAC of the number
under a key derived from SECRET_KEY, is what proves the asker holds the receipt. The answer
carries the case's progress only: never the reporter, the photos or the names of staff, and not
its place or description either. What a stranger may see of those is what the public Open311
feed shows of every case (`open311`): the place to about 100 m, never the building, and the
description with ID numbers, phones, plates and names masked (none for social-governance cases).
What the platform said on ending the case is masked the same way.
"""

from django.utils.crypto import constant_time_compare, salted_hmac

from wangge.core.pii import mask_free_text

from .models import Case
from .workflow import MERGED

# No 0/O, 1/I/L: the code is read off a phone and typed again.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 6
_SALT = "wangge.cases.follow"
S = Case.Status
ENDED = (S.CLOSED, S.REJECTED)


def follow_code(case: Case | str) -> str:
    number = case if isinstance(case, str) else case.number
    value = int.from_bytes(salted_hmac(_SALT, number, algorithm="sha256").digest(), "big")
    code = []
    for _ in range(CODE_LENGTH):
        value, index = divmod(value, len(ALPHABET))
        code.append(ALPHABET[index])
    return "".join(code)


def _normal(text: str) -> str:
    return "".join((text or "").split()).upper()


def case_follow(number: str, code: str) -> dict | None:
    """The public progress of the case, or None when the number and code do not match (the
    same answer whether the number exists or not)."""
    number, code = _normal(number), _normal(code)
    # Computed before the look-up and compared in constant time, so that the answer's timing
    # tells nothing about which numbers exist.
    matches = constant_time_compare(follow_code(number), code)
    case = Case.objects.select_related("category", "duplicate_of").filter(number=number).first()
    if case is None or not matches:
        return None
    moves = list(case.transitions.order_by("at", "pk").values_list("to_status", "at", "reason"))
    labels = dict(S.choices)
    return {
        "number": case.number,
        "category": case.category.name,
        "status": labels[case.status],
        "reported_at": case.reported_at,
        "stages": [{"status": labels.get(to, to), "at": at} for to, at, _ in moves],
        "result": mask_free_text(_result(case, moves)),
    }


def _result(case: Case, moves: list[tuple]) -> str:
    """What the platform said when the case ended: the reason given on closing or rejecting,
    else the department's account of what it did (the last move to 已处置). A merged duplicate
    says only how the case it went into stands, never its number (whoever holds this receipt
    may not read that case)."""
    if case.duplicate_of_id:
        return f"{MERGED}（当前进度：{case.duplicate_of.get_status_display()}）"
    if case.status not in ENDED:
        return ""
    for wanted in (case.status, S.HANDLED):
        said = [reason for to, _, reason in moves if to == wanted and reason]
        if said:
            return said[-1]
    return ""
