from django.db import models

from wangge.geo.models import Division

from .persons import Person


class CommitteePost(models.Model):
    """A person's post in one of a community's two committees (社区"两委"): the community party
    committee or the residents' committee, full-time or part-time. Part-time posts are how
    property managers and owners' committee members sit on them (双向进入、交叉任职)."""

    class Committee(models.TextChoices):
        PARTY = "party", "社区党组织"
        RESIDENTS = "residents", "居民委员会"

    class Post(models.TextChoices):
        SECRETARY = "secretary", "书记（主任）"
        DEPUTY = "deputy", "副书记（副主任）"
        MEMBER = "member", "委员"

    community = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="committee_posts", verbose_name="社区")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="committee_posts", verbose_name="人员")
    committee = models.CharField("组织", max_length=10, choices=Committee.choices)
    post = models.CharField("职务", max_length=10, choices=Post.choices, default=Post.MEMBER)
    part_time = models.BooleanField("兼职", default=False)

    class Meta:
        verbose_name = "社区两委职务"
        verbose_name_plural = "社区两委职务"
        ordering = ["community", "committee", "post", "pk"]
        constraints = [models.UniqueConstraint(fields=["community", "person", "committee"], name="committee_post_once")]

    def __str__(self) -> str:
        return f"{self.community} {self.get_committee_display()} {self.get_post_display()} {self.person}"
