"""Benchmark: the portal's sensitive-words matcher against two anchors on the same text.

Run from the project root:

    .venv/bin/python benchmarks/bench_sensitive.py

Input: 100 KB (UTF-8) of ordinary district news, the 50 sentences of
tests/portal/test_sensitive.py repeated, with the 18 spam samples of the same module spread through it; and the same
length of the news with every character of it separated by a "★" (the noise an evasion adds),
for ours only.

Measured (best of 3 runs each, same text, same run)
  ours:     Matcher(starter_lexicon()).find(text): folding (NFKC, case, traditional forms),
            noise skipping, Aho-Corasick, offsets into the original. The build is timed apart.
  anchor 1: "compiled regex alternation": re.compile("|".join(re.escape(w) for w in words))
            .finditer(text) over the already-folded words, on the plain text. C code, no
            folding, no evasions, no overlapping hits.
  anchor 2: "str.find per word": for each word, text.find(word, i) until -1. C code per word.

Goals (from the issue): building the starter matcher well under 1 s; scanning 100 KB well under
100 ms.

This is not a test; pytest does not collect it (file name bench_*.py, outside tests/).
"""

import argparse
import re
import sys
from pathlib import Path

from common import best_of, machine_line

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.portal.test_sensitive import GOVERNMENT_NEWS, SPAM  # noqa: E402

from wangge.portal.sensitive import EXEMPT, Matcher, normalise_word, starter_lexicon  # noqa: E402

SIZE = 100_000
REPEAT = 3


def text_of_size(pieces: list[str], size: int) -> str:
    text = "".join(pieces)
    while len(text.encode()) < size:
        text += text
    return text.encode()[:size].decode(errors="ignore")


def news_with_spam(size: int) -> str:
    news = text_of_size(GOVERNMENT_NEWS, size - sum(len(s.encode()) for s, _ in SPAM))
    step = len(news) // len(SPAM)
    parts = [news[k * step : (k + 1) * step] + SPAM[k][0] for k in range(len(SPAM))]
    return "".join(parts) + news[len(SPAM) * step :]


def str_find_all(words: list[str], text: str) -> int:
    found = 0
    for word in words:
        i = text.find(word)
        while i != -1:
            found += 1
            i = text.find(word, i + 1)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=SIZE, help="bytes of text (UTF-8)")
    parser.add_argument("--repeat", type=int, default=REPEAT)
    args = parser.parse_args()

    lexicon = starter_lexicon()
    words = [normalise_word(w) for w, c in lexicon if c != EXEMPT]
    text = news_with_spam(args.size)
    spaced = "★".join(text_of_size(GOVERNMENT_NEWS, args.size // 2))[: len(text)]
    print(machine_line("bench_sensitive", args.repeat))
    print(
        f"lexicon: {len(lexicon)} entries; text: {len(text.encode()):,} bytes, {len(text):,} characters"
    )

    build, matcher = best_of(args.repeat, lambda: Matcher(lexicon))
    ours, hits = best_of(args.repeat, lambda: matcher.find(text))
    ours_spaced, _ = best_of(args.repeat, lambda: matcher.find(spaced))
    pattern = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))
    regex, regex_hits = best_of(args.repeat, lambda: sum(1 for _ in pattern.finditer(text.lower())))
    finds, find_hits = best_of(args.repeat, lambda: str_find_all(words, text.lower()))

    print(f"build Matcher(starter_lexicon()):       {build * 1000:8.1f} ms")
    print(f"ours, find on the text:                 {ours * 1000:8.1f} ms  {len(hits)} hits")
    print(f"ours, find on the text spaced with ★:   {ours_spaced * 1000:8.1f} ms")
    print(
        f"anchor 1, compiled regex alternation:   {regex * 1000:8.1f} ms  {regex_hits} hits  ours/anchor {ours / regex:.1f}"
    )
    print(
        f"anchor 2, str.find per word:            {finds * 1000:8.1f} ms  {find_hits} hits  ours/anchor {ours / finds:.1f}"
    )
    print(
        f"goal build < 1 s: {'met' if build < 1 else 'NOT met'}; goal scan of 100 KB < 100 ms: {'met' if ours < 0.1 else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
