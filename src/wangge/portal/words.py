"""The lexicon in force: the shipped starter lexicon, any files the district configures
(WANGGE_SENSITIVE_LEXICONS) and the words it adds in the back office, minus those it switched off.
The matcher is rebuilt whenever the words table or the configured files differ from what it was
built from (the table is small: a few hundred rows at most)."""

import threading

from django.conf import settings

from .models import SensitiveWord
from .sanitize import text_of
from .sensitive import Flag, Matcher, load_lexicon, normalise_word, scan, starter_lexicon

_lock = threading.Lock()
_cached: tuple[tuple, Matcher] | None = None


def _pairs(rows) -> list[tuple[str, str]]:
    pairs = list(starter_lexicon())
    for path in settings.WANGGE_SENSITIVE_LEXICONS:
        pairs.extend(load_lexicon(path))
    # Compared as the matcher compares them, so that switching off 百家乐 also silences 百家樂;
    # the district's own rows come first, so that its category wins over the shipped one.
    off = {normalise_word(word) for word, _, active in rows if not active}
    own = [(w, c) for w, c, active in rows if active]
    return own + [(w, c) for w, c in pairs if normalise_word(w) not in off]


def active_matcher() -> Matcher:
    global _cached
    rows = tuple(SensitiveWord.objects.order_by("pk").values_list("word", "category", "active"))
    key = (tuple(settings.WANGGE_SENSITIVE_LEXICONS), rows)
    with _lock:
        if _cached is None or _cached[0] != key:
            _cached = (key, Matcher(_pairs(rows)))
        return _cached[1]


def flags_of(item, matcher: Matcher | None = None) -> list[Flag]:
    """The lexicon's hits in what is published of `item`: title, meta tags, summary and body.
    A caller checking many items passes the matcher it took once."""
    fields = {"title": item.title, "body": text_of(item.body)}
    for name in ("summary", "meta_keywords", "meta_description", "source", "author"):
        if hasattr(item, name):
            fields[name] = getattr(item, name)
    return scan(fields, matcher or active_matcher())


def flag_words(flags: list[Flag]) -> str:
    """The flagged words and where they stand, as the back office and the checker name them."""
    return "、".join(sorted({f"{flag.word}（{flag.field}）" for flag in flags}))
