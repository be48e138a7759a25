"""Reading the scheme form: one section or veto item a line, refused by line number."""

from django.core.exceptions import ValidationError

SOURCES = {"": "inspection", "考评": "inspection", "事件": "cases", "调查": "survey"}


def _number(text: str, line: int, field: str, what: str) -> int:
    if not text.isdigit():
        raise ValidationError({field: f"第 {line} 行：{what}须为整数"})
    return int(text)


def _lines(text: str):
    """(line number, words) of each line that is not blank."""
    for line, raw in enumerate((text or "").splitlines(), 1):
        if words := raw.split():
            yield line, words


def sections_parsed(text: str) -> list[dict]:
    """Lines "名称 分值 [考评|事件|调查] [加分]"."""
    sections = []
    for line, words in _lines(text):
        if len(words) < 2:
            raise ValidationError({"sections": f"第 {line} 行：须写明考评项目和分值，如「基础管理 150」"})
        extra = words[2:]
        bonus = "加分" in extra
        kinds = [w for w in extra if w != "加分"]
        if len(kinds) > 1 or (kinds and kinds[0] not in SOURCES):
            raise ValidationError({"sections": f"第 {line} 行：评分来源只能是考评、事件或调查"})
        sections.append({"name": words[0], "points": _number(words[1], line, "sections", "分值"), "source": SOURCES[kinds[0] if kinds else ""], "bonus": bonus})
    return sections


def vetoes_parsed(text: str) -> list[dict]:
    """Lines "事项 最高星级"."""
    vetoes = []
    for line, words in _lines(text):
        if len(words) != 2:
            raise ValidationError({"vetoes": f"第 {line} 行：须写明否决事项和最高星级，如「弃管 0」"})
        vetoes.append({"name": words[0], "cap_stars": _number(words[1], line, "vetoes", "最高星级")})
    return vetoes


def minimums_parsed(values: list[str]) -> list[int]:
    found = []
    for stars, value in enumerate(values, 1):
        value = (value or "").strip()
        if not value.isdigit():
            raise ValidationError({"star_minimums": f"{stars}星分数线须为整数"})
        found.append(int(value))
    return found
