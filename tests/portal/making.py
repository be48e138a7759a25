"""Published content for the public pages' tests, made through the publishing services (draft →
review → approved by a second district official) so that each piece has a valid digest.
No tests here: the other test_public_* modules import these helpers."""

from datetime import timedelta

from django.utils import timezone

from wangge.accounts.models import Role, User
from wangge.geo.models import Division
from wangge.portal.models import Article, Disclosure
from wangge.portal.publishing import (
    article_save,
    disclosure_save,
    publication_approve,
    publication_submit,
)

BROWSER = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36"


def reviewer() -> User:
    """The second district official who approves what the persona `district_official` submits."""
    district = Division.objects.get(kind=Division.Kind.DISTRICT)
    user, _ = User.objects.get_or_create(
        username="district_reviewer", defaults={"full_name": "审核人", "role": Role.DISTRICT_OFFICIAL, "scope_code": district.code},
    )
    return user


def publish(people, item):
    publication_submit(item=item, actor=people.district_official.user)
    return publication_approve(item=item, actor=reviewer())


def article(people, *, publish_it: bool = True, section: str = "media", title: str = "管城区开展网格走访活动", **fields) -> Article:
    fields = {
        "body": "<p>社区网格员入户走访，了解居民诉求，解决急难愁盼问题。</p>", "source": "管城区融媒体中心", "author": "李明",
        "summary": "网格员入户走访", **fields,
    }
    draft = article_save(actor=people.district_official.user, section=section, title=title, **fields)
    return publish(people, draft) if publish_it else draft


def disclosure(people, *, kind: str = "project", title: str = "东大街社区加装电梯项目公示", starts_days: float = -1,
               lasts_days: float = 7, body: str = "<p>拟实施加装电梯项目，资金来源为社区服务经费。</p>") -> Disclosure:
    start = timezone.now() + timedelta(days=starts_days)
    draft = disclosure_save(
        actor=people.district_official.user, kind=kind, title=title, body=body,
        shown_from=start, shown_until=start + timedelta(days=lasts_days),
    )
    return publish(people, draft)


def text(response) -> str:
    return response.content.decode()
