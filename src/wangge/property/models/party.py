from django.db import models

from wangge.geo.models import Division
from wangge.people.models import PartyOrganisation, Person

from .companies import PropertyCompany


class CompanyPartyOrganisation(models.Model):
    """A people's party organisation hung on property companies instead of grids: a branch of
    one company, or a joint branch of neighbouring companies. The rules are people's one rule
    function (`people.services.party`), read with the companies' staff as the members' ground."""

    organisation = models.OneToOneField(PartyOrganisation, on_delete=models.CASCADE, related_name="property_link", verbose_name="党组织")
    companies = models.ManyToManyField(PropertyCompany, related_name="party_organisations", verbose_name="所在企业")

    class Meta:
        verbose_name = "物业企业党组织"
        verbose_name_plural = "物业企业党组织"

    def __str__(self) -> str:
        return str(self.organisation)


class PartyInstructor(models.Model):
    """A party-building instructor (党建指导员) a subdistrict or community sends to a company
    that cannot form a party organisation."""

    company = models.ForeignKey(PropertyCompany, on_delete=models.CASCADE, related_name="party_instructors", verbose_name="企业")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="party_instructions", verbose_name="党建指导员")
    sent_by = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+", verbose_name="选派单位（街道或社区）")
    started_on = models.DateField("选派日期")
    ended_on = models.DateField("结束日期", null=True, blank=True)

    class Meta:
        verbose_name = "党建指导员"
        verbose_name_plural = "党建指导员"
        ordering = ["company", "-started_on"]
        constraints = [models.UniqueConstraint(fields=["company", "person"], condition=models.Q(ended_on__isnull=True), name="instructor_once_per_company")]

    def __str__(self) -> str:
        return f"{self.company} {self.person}"
