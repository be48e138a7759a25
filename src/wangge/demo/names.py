"""Names for the demo district. The subdistricts carry Guancheng's names; everything below
them is invented, so that no real person or address appears in the demo."""

SUBDISTRICTS = [
    "北下街街道", "西大街街道", "南关街道", "城东路街道", "东大街街道", "紫荆山南路街道",
    "陇海马路街道", "二里岗街道", "航海东路街道", "商都路街道", "十八里河街道", "南曹街道",
]
ZONE = "国际物流园区管委会"

COMMUNITY_STEMS = [
    "顺河", "东明", "紫东", "城南", "书院", "乔家门", "文庙", "管城", "商城", "熊儿河", "陇海",
    "航海", "港湾", "货站", "未来", "凤凰", "东风", "金岱", "龙湖", "圃田", "十八里", "果园",
    "连云", "郑汴", "银莺", "正商", "明鸿", "桐柏", "玉凤", "建业", "锦绣", "福华", "兴华",
    "康宁", "平安", "和顺", "长乐", "永安", "新华", "民主",
]
COMMUNITY_SUFFIXES = ["路", "街", "里", "苑", "园", "新村"]

SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国玉兰红梅志强海燕晓东文博子涵雨轩浩然思远欣怡"


def community_names(count: int) -> list[str]:
    names = [f"{stem}{suffix}社区" for suffix in COMMUNITY_SUFFIXES for stem in COMMUNITY_STEMS]
    return names[:count]


def person_name(rng) -> str:
    surname = SURNAMES[int(rng.integers(len(SURNAMES)))]
    length = 1 + int(rng.integers(2))
    return surname + "".join(GIVEN[int(rng.integers(len(GIVEN)))] for _ in range(length))
