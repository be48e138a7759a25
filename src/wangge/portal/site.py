"""The site's name and footer. The name: as configured (WANGGE_PORTAL_NAME), else the district's own name with the
platform's, e.g. 管城回族区网格化基层治理."""

from django.conf import settings

from wangge.geo.models import Division

FALLBACK = "网格化基层治理平台"
_found: list[str] = []  # the district's, once it exists (a district is not renamed while serving)


def site_name(*, ask_database: bool = True) -> str:
    if settings.WANGGE_PORTAL_NAME:
        return settings.WANGGE_PORTAL_NAME
    if not _found and not ask_database:
        return FALLBACK
    if not _found:
        district = Division.objects.filter(kind=Division.Kind.DISTRICT).values_list("name", flat=True).first()
        if district is None:
            return FALLBACK
        _found.append(f"{district}网格化基层治理")
    return _found[0]


def footer_lines() -> list[tuple[str, str, str]]:
    """(id, label, value) of the footer's lines that the settings give; none is ever invented."""
    lines = [
        ("footer-host", "主办单位", settings.WANGGE_PORTAL_HOST_ORG), ("footer-address", "地址", settings.WANGGE_PORTAL_ADDRESS),
        ("footer-contact", "联系方式", settings.WANGGE_PORTAL_CONTACT), ("footer-icp", "ICP 备案号", settings.WANGGE_PORTAL_ICP),
        ("footer-gov-code", "政府网站标识码", settings.WANGGE_PORTAL_GOV_CODE),
    ]
    return [(key, label, value.strip()) for key, label, value in lines if value.strip()]
