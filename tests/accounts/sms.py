"""One-time passwords as their receivers get them: the outbox sent (what `wangge worker` does)
and the SMS read from the file backend's directory."""

from pathlib import Path

from django.conf import settings
from django.utils import timezone

from tests.people.ids import id_number
from wangge.accounts.delivery import registered_mobile
from wangge.core.outbox import outbox_drain
from wangge.geo.scope import Scope
from wangge.people.services.persons import person_find_or_create


def with_mobile(user, phone: str = "13812345678"):
    """Link `user` to a newly registered person with a mobile, as an account must be to receive."""
    person = person_find_or_create(scope=Scope.district(), id_number=id_number(), name=user.full_name or user.username, phone=phone)
    person.user = user
    person.save(update_fields=["user"])
    return person


def messages_to(phone: str) -> list[str]:
    outbox_drain(now=timezone.now())
    paths = sorted(Path(settings.WANGGE_SMS_DIR).glob("*.txt"))
    return [text for text in (p.read_text(encoding="utf-8") for p in paths) if text.startswith(f"To: {phone}\n")]


def delivered_password(user) -> str:
    """The one-time password in the newest message to `user`'s registered mobile."""
    sent = messages_to(registered_mobile(user))
    assert sent, f"没有发给 {user.username} 的短信"
    return sent[-1].split("一次性密码：")[1].split("\n")[0]
