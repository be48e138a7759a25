from django.db import models


class Category(models.Model):
    """One of the district's service project categories (生活服务类 ...), kept by the district."""

    code = models.SlugField("类别代码", max_length=32, unique=True)
    name = models.CharField("类别名称", max_length=32, unique=True)
    order = models.PositiveSmallIntegerField("排序", default=0)
    active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = verbose_name_plural = "服务项目类别"

    def __str__(self) -> str:
        return self.name
