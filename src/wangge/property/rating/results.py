"""A round's results as the portal shows them: the ranking with the inputs beside each score,
the red and black lists (红黑榜), generated from the entries (`services` writes the totals and
stars when the round goes to publicity)."""

from django.utils.html import format_html, format_html_join

from ..models.rating import RatingEntry, RatingRound

# 红榜: four stars and more; 黑榜: a veto item found, or one star or none.
RED_LIST_STARS = 4
BLACK_LIST_STARS = 1


def ranked(rating_round: RatingRound) -> list[RatingEntry]:
    entries = rating_round.entries.select_related("compound", "company").prefetch_related("vetoes__item")
    return sorted(entries, key=lambda e: (-(e.total or 0), e.compound.name))


def red_list(entries: list[RatingEntry]) -> list[RatingEntry]:
    return [e for e in entries if (e.stars or 0) >= RED_LIST_STARS and not e.vetoes.all()]


def black_list(entries: list[RatingEntry]) -> list[RatingEntry]:
    return [e for e in entries if e.vetoes.all() or (e.stars or 0) <= BLACK_LIST_STARS]


def percent(value) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def shown(value) -> str:
    return "—" if value is None else str(value)


def stars_text(stars: int | None) -> str:
    return "未评星" if not stars else "★" * stars


def _row(rank: int, e: RatingEntry) -> tuple:
    return (
        rank, e.compound.name, e.company.name if e.company else "自管", shown(e.total), stars_text(e.stars), shown(e.cases),
        shown(e.cases_per_100), percent(e.on_time_rate), percent(e.reopen_rate), shown(e.case_satisfaction), shown(e.survey_votes),
        shown(e.survey_satisfaction),
    )


def disclosure_body(rating_round: RatingRound, *, final: bool) -> str:
    """The disclosure's HTML: ranking with inputs, then the red and black lists."""
    entries = ranked(rating_round)
    head = "排名 小区 物业企业 总分 星级 事件数 每百户事件 按时办结率 重新打开率 事件满意度 调查户数 调查满意度".split()
    rows = format_html_join("", "<tr>" + "<td>{}</td>" * len(head) + "</tr>", (_row(i, e) for i, e in enumerate(entries, 1)))
    names = lambda chosen: ", ".join(f"{e.compound.name}（{e.company.name if e.company else '自管'}）" for e in chosen) or "无"  # noqa: E731
    lead = "评定结果已发布。" if final else "评定结果现予公示，物业企业对本企业结果有异议的，可在公示期内通过平台提出。"
    return format_html(
        "<p>{}年度物业服务星级评定（方案：{}）。{}</p><table tabindex='0'><thead><tr>{}</tr></thead><tbody>{}</tbody></table><h3>红榜</h3><p>{}</p><h3>黑榜</h3><p>{}</p>",
        rating_round.year, rating_round.scheme.name, lead, format_html_join("", "<th>{}</th>", ((h,) for h in head)), rows,
        names(red_list(entries)), names(black_list(entries)),
    )
