"""The areas a disclosure may belong to: a division (district, subdistrict, community) or a
grid of the active layer."""

from wangge.geo.models import Division, Grid


def area_name(code: str) -> str | None:
    """The name of a division or active grid with this code ('' is the whole district)."""
    if not code:
        return "全区"
    division = Division.objects.filter(code=code).values_list("name", flat=True).first()
    if division is not None:
        return division
    return Grid.objects.filter(code=code, layer__is_active=True).values_list("name", flat=True).first()
