"""Sensitive-words filter for what the portal publishes: titles, meta tags and bodies.

Hacked government sites are stuffed with gambling and pornography SEO spam written to slip past
keyword filters: full-width letters, traditional characters, and noise between the characters
of a word ("百★家★乐", "澳 門 新 葡 京"). `Matcher` folds those away before matching, with an
Aho-Corasick automaton over the lexicon, and reports offsets into the original text.

A lexicon can also list exempt phrases (category "豁免"): ordinary text that contains a listed
word, such as anti-fraud publicity ("警惕刷单返利类诈骗"). A hit lying wholly inside an
occurrence of an exempt phrase is not reported.
"""

import functools
import json
import unicodedata
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

CATEGORIES = ("赌博", "色情", "诈骗", "引流")
EXEMPT = "豁免"
STARTER_PATH = Path(__file__).parent / "lexicon" / "starter.json"

# Noise tolerated between two characters of a word, in characters of the original text.
MAX_GAP = 3
# Marks that end a phrase in ordinary text. A gap holding one joins the characters of a word
# only when every gap of the hit holds noise ("一.夜.情"), as spam that spaces out a word does;
# otherwise "奋战一夜，情况好转" would read as a listed word.
BREAKS = frozenset("。.,、;:!?\n\r\u2028\u2029")
# The words need only these few look-alike letters: spam writes "аv" with a Cyrillic "а".
CONFUSABLES = {"а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "х": "x", "у": "y",
               "к": "k", "м": "m", "т": "t", "в": "b", "н": "h", "і": "i", "ѕ": "s"}  # fmt: skip
# Traditional (and some variant) forms of the characters in the starter lexicon, as
# "traditional simplified" pairs. A custom lexicon's words are folded the same way.
TRADITIONAL = dict(
    pair
    for pair in """
    萬万 樂乐 書书 亂乱 雲云 亞亚 產产 價价 倣仿 優优 會会 偉伟 傳传 倫伦 體体 傭佣 冊册 寫写
    況况 準准 鳳凤 凱凯 劃划 製制 辦办 務务 動动 華华 單单 廠厂 歷历 曆历 發发 髮发 臺台 檯台
    颱台 號号 聽听 唄呗 團团 圍围 國国 圖图 場场 塲场 壇坛 備备 獎奖 娛娱 學学 寶宝 宮宫 導导
    爾尔 島岛 佈布 帶带 莊庄 庫库 開开 錄录 徵征 戲戏 戶户 撲扑 搶抢 報报 無无 時时 機机 槓杠
    來来 極极 樓楼 歐欧 氾泛 註注 遊游 滾滚 砲炮 礮炮 愛爱 現现 電电 畫画 碼码 競竞 籃篮 類类
    係系 繫系 約约 級级 線线 結结 統统 網网 職职 勝胜 範范 藥药 規规 視视 譽誉 計计 訊讯 論论
    證证 評评 詐诈 試试 話话 說说 購购 貸贷 資资 賭赌 賺赚 賽赛 贏赢 車车 過过 運运 裡里 裏里
    錢钱 銀银 鏈链 門门 陽阳 際际 頁页 頻频 飛飞 馬马 駕驾 驗验 騙骗 魚鱼 黃黄 龍龙
    """.split()
)


@dataclass(frozen=True)
class Hit:
    word: str
    category: str
    start: int
    end: int


@dataclass(frozen=True)
class Flag:
    field: str
    word: str
    category: str
    excerpt: str


_SOFT, _BREAK = 0, 1  # noise kinds; a significant character folds to a non-empty str


_FOLDED: dict[str, str | int] = {}
_FOLDED_LIMIT = 65536  # distinct characters remembered; beyond that they are folded each time


def _fold(char: str) -> str | int:
    """What one character of text stands for: its folded letters, or the kind of noise it is."""
    folded = _FOLDED.get(char)
    if folded is not None:
        return folded
    letters, broke = [], False
    for c in unicodedata.normalize("NFKC", char).lower():
        c = TRADITIONAL.get(c, CONFUSABLES.get(c, c))
        if unicodedata.category(c)[0] in "LN":
            letters.append(c)
        elif c in BREAKS:
            broke = True
    folded = "".join(letters) if letters else (_BREAK if broke else _SOFT)
    if len(_FOLDED) < _FOLDED_LIMIT:
        _FOLDED[char] = folded
    return folded


def normalise_word(word: str) -> str:
    """A lexicon word as the matcher compares it: folded, noise dropped."""
    return "".join(f for f in map(_fold, word) if isinstance(f, str))


def _is_ascii_word_char(c: str) -> bool:
    return c.isascii() and c.isalnum()  # False for ""


class Matcher:
    """Aho-Corasick automaton over a lexicon of (word, category) pairs, built once."""

    def __init__(self, pairs: Iterable[tuple[str, str]]):
        self._words: list[tuple[str, str, int]] = []  # (word, category, folded length)
        self._goto: list[dict[str, int]] = [{}]
        self._out: list[list[int]] = [[]]
        seen = set()
        for word, category in pairs:
            key = normalise_word(word or "")
            if key and key not in seen:
                seen.add(key)
                self._add(key, len(self._words))
                self._words.append((word, category, len(key)))
        self._fail = self._link()

    def _add(self, key: str, index: int) -> None:
        state = 0
        for c in key:
            nxt = self._goto[state].get(c)
            if nxt is None:
                nxt = len(self._goto)
                self._goto[state][c] = nxt
                self._goto.append({})
                self._out.append([])
            state = nxt
        self._out[state].append(index)

    def _link(self) -> list[int]:
        """Failure links, breadth first; each state also reports its suffixes' words."""
        fail = [0] * len(self._goto)
        queue = deque(self._goto[0].values())
        while queue:
            state = queue.popleft()
            for c, nxt in self._goto[state].items():
                queue.append(nxt)
                f = fail[state]
                while f and c not in self._goto[f]:
                    f = fail[f]
                fail[nxt] = self._goto[f].get(c, 0)
                self._out[nxt] = self._out[nxt] + self._out[fail[nxt]]
        return fail

    def __len__(self) -> int:
        return len(self._words)

    def find(self, text: str) -> list[Hit]:
        """Every occurrence of a listed word, overlapping ones included, in text order."""
        goto, fail, out, root = self._goto, self._fail, self._out, self._goto[0]
        folded_of = _FOLDED.get
        letters: list[str] = []  # folded significant characters
        origin: list[int] = []  # index in text of each
        # The noise just before each: 2 x its length, plus 1 if it held a phrase break.
        spacing: list[int] = []
        candidates: list[tuple[int, int]] = []  # (word index, index in letters of its last char)
        state = noise = 0
        for i, char in enumerate(text):
            folded = folded_of(char)
            if folded is None:
                folded = _fold(char)
            if folded.__class__ is int:
                noise = (noise + 2) | folded
                continue
            for c in folded:
                letters.append(c)
                origin.append(i)
                spacing.append(noise)
                noise = 0
                if state:
                    while state and c not in goto[state]:
                        state = fail[state]
                    state = goto[state].get(c, 0)
                else:
                    state = root.get(c, 0)
                if out[state]:
                    last = len(letters) - 1
                    candidates.extend((w, last) for w in out[state])
        hits = [self._hit(w, last, letters, origin, spacing) for w, last in candidates]
        return self._without_exempt([hit for hit in hits if hit])

    def _hit(self, w, last, letters, origin, spacing) -> Hit | None:
        word, category, length = self._words[w]
        first = last - length + 1
        inner = spacing[first + 1 : last + 1]
        if any(s >> 1 > MAX_GAP for s in inner):
            return None
        if any(s & 1 for s in inner) and (length < 3 or not all(inner)):
            return None
        # A word that starts or ends with a Latin letter or digit must not be part of a longer
        # Latin token: "av" is listed, "java" and "nav" are not.
        before = letters[first - 1] if first and not spacing[first] else ""
        after = letters[last + 1] if last + 1 < len(letters) and not spacing[last + 1] else ""
        if _is_ascii_word_char(letters[first]) and _is_ascii_word_char(before):
            return None
        if _is_ascii_word_char(letters[last]) and _is_ascii_word_char(after):
            return None
        return Hit(word=word, category=category, start=origin[first], end=origin[last] + 1)

    @staticmethod
    def _without_exempt(hits: list[Hit]) -> list[Hit]:
        exempt = [(h.start, h.end) for h in hits if h.category == EXEMPT]
        return [
            h
            for h in hits
            if h.category != EXEMPT and not any(s <= h.start and h.end <= e for s, e in exempt)
        ]


EXCERPT_CONTEXT = 15


def scan(fields: dict[str, str], matcher: Matcher) -> list[Flag]:
    """A flag for every hit in every field, with the text around it for a reviewer."""
    flags = []
    for field, text in fields.items():
        for hit in matcher.find(text or ""):
            around = text[max(0, hit.start - EXCERPT_CONTEXT) : hit.end + EXCERPT_CONTEXT]
            flags.append(
                Flag(
                    field=field,
                    word=hit.word,
                    category=hit.category,
                    excerpt=" ".join(around.split()),
                )
            )
    return flags


def load_lexicon(path) -> list[tuple[str, str]]:
    """(word, category) pairs from one lexicon file.

    Two formats: a ``.json`` object mapping each category to a list of words, or a text file
    with ``[类别]`` section lines followed by one word a line (``#`` starts a comment line).
    """
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() == ".json":
        pairs = _pairs_from_json(text, path)
    else:
        pairs = _pairs_from_text(text, path)
    for word, category in pairs:
        if category not in CATEGORIES and category != EXEMPT:
            allowed = "、".join((*CATEGORIES, EXEMPT))
            raise ValueError(f"词库 {path.name}：类别“{category}”无效（应为{allowed}之一）")
        if not isinstance(word, str):
            raise ValueError(f"词库 {path.name}：类别“{category}”下的词条“{word}”不是文字")
    return pairs


def _pairs_from_json(text: str, path: Path) -> list[tuple[str, str]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"词库 {path.name}：不是有效的 JSON（第 {error.lineno} 行）") from None
    if not isinstance(data, dict) or not all(isinstance(v, list) for v in data.values()):
        raise ValueError(f"词库 {path.name}：应为“类别: [词条, ...]”形式的 JSON 对象")
    return [(word, category) for category, words in data.items() for word in words]


def _pairs_from_text(text: str, path: Path) -> list[tuple[str, str]]:
    pairs, category = [], None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            category = line[1:-1].strip()
        elif category is None:
            raise ValueError(f"词库 {path.name}：第 {number} 行的词条前没有“[类别]”行")
        else:
            pairs.append((line, category))
    return pairs


def starter_lexicon() -> list[tuple[str, str]]:
    """The lexicon shipped with the platform."""
    return load_lexicon(STARTER_PATH)


@functools.cache
def starter_matcher() -> Matcher:
    """The starter lexicon's matcher, built once per process."""
    return Matcher(starter_lexicon())
