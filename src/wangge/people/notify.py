"""Who hears of what happens to a resident's account: the account itself, when it is claimed,
so that a claim made by someone else is seen at the first sign-in of whoever holds it."""

from django.utils import timezone

from wangge.core.notify import notice_kinds, notify_enqueue

KINDS = {"people.signup_claimed": "账号注册"}


def register() -> None:
    notice_kinds(KINDS)


def signup_claimed_notify(user, *, how: str) -> None:
    when = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    notify_enqueue(
        kind="people.signup_claimed", recipients=[user.pk], title="您的居民账号已注册",
        body=f"您的居民账号已于 {when} 通过{how}完成注册。如非本人操作，请立即联系所在社区或网格员。",
        link="/my-reports", group=False,  # the resident's own account: not for the staff's group robot
    )
