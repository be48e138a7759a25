"""Kinds of disclosure (公开公示): what each discloses, for how long by default, and whether
residents may object. Apps that own the records being disclosed (projects, deliberations,
ratings ...) register their kinds here from their `ready()`; the portal knows no more of them."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    code: str
    name: str
    objections: bool  # residents may object while it is shown, and the answers are shown too
    days: int  # how long it is shown unless the publisher says otherwise


_KINDS: dict[str, Kind] = {}


def register_kind(kind: Kind) -> None:
    _KINDS[kind.code] = kind


def kind_of(code: str) -> Kind | None:
    return _KINDS.get(code)


def kinds() -> list[Kind]:
    return sorted(_KINDS.values(), key=lambda k: k.code)


for _kind in (
    Kind("notice", "公告公示", objections=False, days=30),
    Kind("project", "项目公示", objections=True, days=7),
    Kind("deliberation", "议事结果公开", objections=True, days=7),
    Kind("result", "实施结果公开", objections=False, days=30),
    Kind("rating", "评定结果公示", objections=True, days=7),
    Kind("finance", "资金使用公开", objections=True, days=15),
):
    register_kind(_kind)
