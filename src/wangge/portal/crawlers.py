"""Which requests come from crawlers and tools, so that view counts stay counts of readers."""

import re

# Named bots and HTTP libraries first, then the generic words that most other bots use.
# "bot" must not be preceded by "cu": CUBOT is a phone maker whose handsets send "CUBOT" in an
# ordinary browser's user agent.
_CRAWLER = re.compile(
    r"""
      baiduspider | googlebot | bingbot | sogou\ web\ spider | 360spider | yisouspider
    | bytespider | petalbot | yandexbot | duckduckbot | ahrefsbot | semrushbot | mj12bot
    | facebookexternalhit | headlesschrome | phantomjs | lighthouse
    | curl/ | wget | python-requests | python-urllib | python-httpx | aiohttp | scrapy
    | go-http-client | java/ | okhttp | apache-httpclient | libwww-perl | node-fetch | axios/
    | (?<!cu)bot | spider | crawler | slurp
    """,
    re.IGNORECASE | re.VERBOSE,
)


def is_crawler(user_agent: str | None) -> bool:
    """True for a missing or empty user agent and for known bots and tools."""
    if not user_agent or not user_agent.strip():
        return True
    return _CRAWLER.search(user_agent) is not None
