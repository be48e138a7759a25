"""Resolve a typed address to a registered building (a small geocoder over the registry).

Reports may give an address instead of a point (Open311 `address_string`, the portal form).
A building's address is composed per GB/T 39609 — district, subdistrict, community, street or
compound, building — so both sides are brought to one normal form (NFKC, simplified
characters, Arabic numbers, no spaces or punctuation) and compared part by part: leading
province, city and district names may be given or not, subdistrict and community names may be
missing, and a unit or room after the building is kept but does not decide the building.

Deliberately not scoped: anyone who may report may name any building of the district, and a
match tells no more than a signpost does (address, point, grid), never households or people.

The normal form is not stored (no migration); it lives in an in-process index rebuilt when the
table's fingerprint moves (row count, highest id, total address length). An edit that keeps all
three is caught on use: a hit is checked against the row as it is now, and a refusal rebuilds an
index older than REFRESH_SECONDS before it is final.
"""

import re
import threading
import time
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Sum
from django.db.models.functions import Length

from wangge.geo.models import Division

from ..models import Building
from ..models.buildings import dwelling_label

MAX_CANDIDATES = 3
# A refusal rebuilds an index older than this, in case the address was edited since: often
# enough to see today's edits, rarely enough that typos cannot keep the process rebuilding.
REFRESH_SECONDS = 30

# Traditional forms that appear in addresses; everything else is left as typed.
_SIMPLIFIED = str.maketrans(
    "號棟單區樓門縣鄉鎮園東裏廣場華陽塊層戶條莊灣嶺橋衛興龍鳳館蘭開發濟豐際貿樂寧慶壽鄭漢",
    "号栋单区楼门县乡镇园东里广场华阳块层户条庄湾岭桥卫兴龙凤馆兰开发济丰际贸乐宁庆寿郑汉",
)
_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NUMERAL = re.compile(r"([零〇一二两三四五六七八九十百]+)(?=号|栋|幢|单元|室|层|座)")
_BUILDING = re.compile(r"(\d+)(?:号楼|号栋|号幢|栋|幢)")
_NOISE = re.compile(r"[^0-9a-z\u3400-\u9fff]")
# What may follow the building: unit, floor, room ("3单元502室", "3-502" read as "3502").
_DWELLING = re.compile(r"(?:(?P<unit>[0-9a-z]+)单元)?(?:\d+(?:层|楼))?(?:(?P<room>[0-9a-z]+)(?:室|号|户)?)?")
_PROVINCE_CITY = re.compile(r"^(?:[\u4e00-\u9fff]{2,3}省|[\u4e00-\u9fff]{2,9}?自治区)?(?:[\u4e00-\u9fff]{2,4}?市)?")
_ETHNIC = "回满蒙古壮苗彝土家藏维吾尔朝鲜瑶白哈尼傣黎畲侗布依水仡佬羌达斡尔鄂温克锡伯萨撒拉东乡保安裕固纳西傈僳拉祜佤景颇怒普米独龙仫毛南京各"
_ETHNIC_DISTRICT = re.compile(rf"^(.+?)(?:[{_ETHNIC}]{{1,3}}族)+(?:自治)?([区县旗])$")


@dataclass(frozen=True)
class AddressMatch:
    building: Building
    address: str  # the registry's address, with a typed unit and room in canonical form

    @property
    def lon(self) -> float:
        return self.building.lon

    @property
    def lat(self) -> float:
        return self.building.lat

    @property
    def grid_code(self) -> str:
        return self.building.grid_code


def _chinese_number(text: str) -> str:
    """十二 → 12, 二十 → 20, 一百零五 → 105, 三五 → 35 (digit by digit when no unit is written)."""
    if "十" not in text and "百" not in text:
        return "".join(str(_DIGITS[c]) for c in text)
    total, digit = 0, 0
    for c in text:
        if c == "百":
            total, digit = total + (digit or 1) * 100, 0
        elif c == "十":
            total, digit = total + (digit or 1) * 10, 0
        else:
            digit = _DIGITS[c]
    return str(total + digit)


def normalise(text: str) -> str:
    """The form in which typed and registered addresses are compared."""
    text = unicodedata.normalize("NFKC", text or "").translate(_SIMPLIFIED).lower()
    text = _NOISE.sub("", text)
    text = _NUMERAL.sub(lambda m: _chinese_number(m.group(1)), text)
    return _BUILDING.sub(r"\1号楼", text)


def _district_aliases(name: str) -> set[str]:
    """管城回族区 is also written 管城区."""
    normal = normalise(name)
    match = _ETHNIC_DISTRICT.match(normal)
    return {normal, match.group(1) + match.group(2)} if match else {normal}


def _dwelling(rest: str) -> str | None:
    """The canonical unit-and-room label of what follows the building, or None if it is not one."""
    match = _DWELLING.fullmatch(rest)
    if match is None:
        return None
    return dwelling_label((match["unit"] or "").upper(), (match["room"] or "").upper())


class _Index:
    """Normal forms of every building, the division names, and the table fingerprint they match."""

    def __init__(self, fingerprint: tuple) -> None:
        self.fingerprint, self.built_at = fingerprint, time.monotonic()
        divisions = {d["id"]: d for d in Division.objects.values("id", "name", "kind", "parent_id")}
        normal = {pk: normalise(d["name"]) for pk, d in divisions.items()}
        self.districts: set[str] = set()
        self.divisions: dict[str, set[int]] = {}  # normal name → subdistrict and community ids
        for pk, d in divisions.items():
            if d["kind"] == Division.Kind.DISTRICT:
                self.districts |= _district_aliases(d["name"])
            elif normal[pk]:
                self.divisions.setdefault(normal[pk], set()).add(pk)
        self.division_names = sorted(self.divisions, key=len, reverse=True)
        self.rows: dict[int, tuple] = {}
        self.by_full: dict[str, list[int]] = {}
        self.by_tail: dict[str, list[int]] = {}
        # Compound and building names repeat across the district: each is normalised once. Their
        # normal forms join without crossing a rule (no numeral or 号/栋 straddles the seam).
        parts: dict[str, str] = {}
        self.parent = {pk: d["parent_id"] for pk, d in divisions.items()}
        for row in Building.objects.values_list("pk", "address", "compound", "name", "community_id"):
            pk, _, compound, name, community_id = row
            self.rows[pk] = row[1:]
            if compound not in parts:
                parts[compound] = normalise(compound)
            if name not in parts:
                parts[name] = normalise(name)
            tail = parts[compound] + parts[name]
            self.by_tail.setdefault(tail, []).append(pk)
            self.by_full.setdefault(normal.get(self.parent.get(community_id), "") + normal.get(community_id, "") + tail, []).append(pk)
        self.compounds = {parts[row[1]] for row in self.rows.values()}
        self.stale_rows = False  # set when a hit no longer matches its row

    def without_district(self, text: str) -> str:
        for name in self.districts:
            if text.startswith(name):
                return text[len(name):]
        return text

    def without_divisions(self, text: str) -> tuple[str, list[set[int]]]:
        """Strip leading subdistrict and community names; returns the rest and what they named."""
        stated = []
        while True:
            name = next((n for n in self.division_names if text.startswith(n)), None)
            if name is None:
                return text, stated
            stated.append(self.divisions[name])
            text = text[len(name):]

    def stale(self, pk: int, building: Building) -> bool:
        return self.rows[pk] != (building.address, building.compound, building.name, building.community_id)

    def within(self, pk: int, stated: list[set[int]]) -> bool:
        """The building lies in every subdistrict and community the text named."""
        community_id = self.rows[pk][3]
        return all(community_id in ids or self.parent.get(community_id) in ids for ids in stated)


_lock = threading.Lock()
_index: _Index | None = None


def _fingerprint() -> tuple:
    """Moves with every insert, delete and nearly every address edit (one scan of one column)."""
    found = Building.objects.aggregate(n=Count("pk"), top=Max("pk"), chars=Sum(Length("address")))
    return found["n"], found["top"], found["chars"], Division.objects.count()


def _current_index(*, rebuild: bool = False) -> _Index:
    global _index
    fingerprint = _fingerprint()
    with _lock:
        if rebuild or _index is None or _index.fingerprint != fingerprint:
            _index = _Index(fingerprint)
        return _index


def _suffix_of(tail: str, part: str) -> bool:
    """`part` ends `tail` at a boundary: 1号楼 ends 1号院1号楼 but not 1号院11号楼."""
    if not tail.endswith(part):
        return False
    before = tail[-len(part) - 1] if len(tail) > len(part) else ""
    return not (before.isalnum() and before.isascii() and part[0].isalnum() and part[0].isascii())


def _candidates(index: _Index, text: str) -> tuple[list[int], str]:
    """Buildings the text names, most exact reading first, and the dwelling label after them."""
    text = index.without_district(text)
    if len(found := index.by_full.get(text, [])) == 1:
        return found, ""
    rest, stated = index.without_divisions(text)
    splits = [(k, label) for k in range(len(rest), 0, -1) if (label := _dwelling(rest[k:])) is not None]

    def consistent(pks):
        return [pk for pk in pks if index.within(pk, stated)]

    for k, label in splits:  # the whole compound and building
        if found := consistent(index.by_tail.get(rest[:k], [])):
            return found, label
    # The compound's own prefix left out (e.g. the street of "顺河路1号院"): one pass over the
    # district in C (str.endswith with a tuple), then the longest reading that names a building.
    ends = tuple(rest[:k] for k, _ in splits)
    near = [(tail, pks) for tail, pks in index.by_tail.items() if tail.endswith(ends)] if ends else []
    for k, label in splits:
        if found := consistent([pk for tail, pks in near if _suffix_of(tail, rest[:k]) for pk in pks]):
            return found, label
    return [], ""


def _refuse(text: str, reason: str) -> ValidationError:
    return ValidationError({"address": f"无法识别地址「{text}」：{reason}"})


def _why_not(index: _Index, text: str) -> str:
    rest, _ = index.without_divisions(index.without_district(_readings(text)[-1]))
    if not rest:
        return "地址不完整：缺少小区（街路巷）和楼号"
    if any(_suffix_of(compound, rest) for compound in index.compounds):
        return "地址不完整：缺少楼号"
    return "未找到该楼栋，请核对小区（街路巷）名称和楼号"


def _readings(text: str) -> list[str]:
    """The text as typed, then without a leading province and city (which no registry address has)."""
    short = _PROVINCE_CITY.sub("", text, count=1)
    return [text, short] if short and short != text else [text]


def _attempt(index: _Index, typed: str, text: str) -> AddressMatch | ValidationError | None:
    """A match, a refusal naming several buildings, or None when nothing matched or the index is stale."""
    for reading in _readings(text):
        pks, label = _candidates(index, reading)
        if not pks:
            continue
        # Only the buildings shown are read and checked: a common tail may name hundreds.
        shown = sorted(set(pks), key=lambda pk: index.rows[pk][0])[:MAX_CANDIDATES]
        buildings = Building.objects.in_bulk(shown)
        if len(buildings) != len(shown) or any(index.stale(pk, b) for pk, b in buildings.items()):
            index.stale_rows = True
            return None
        if len(set(pks)) == 1:
            (building,) = buildings.values()
            return AddressMatch(building=building, address=building.address + label)
        listed = "、".join(buildings[pk].address for pk in shown)
        more = f"等 {len(set(pks))} 处" if len(set(pks)) > MAX_CANDIDATES else ""
        return _refuse(typed, f"有多处楼栋符合：{listed}{more}，请写明街道、社区或小区")
    return None


def resolve_address(text: str) -> AddressMatch:
    """The registered building that `text` names, or ValidationError({"address": ...}) saying why not."""
    typed = (text or "").strip()
    normal = normalise(typed)
    if not normal:
        raise _refuse(typed, "地址为空")
    index = _current_index()
    result = _attempt(index, typed, normal)
    if result is None and (index.stale_rows or time.monotonic() - index.built_at > REFRESH_SECONDS):
        index = _current_index(rebuild=True)  # it may predate an edit: look once more with a fresh one
        result = _attempt(index, typed, normal)
    if isinstance(result, AddressMatch):
        return result
    raise result if result is not None else _refuse(typed, _why_not(index, normal))
