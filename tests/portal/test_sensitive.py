"""The sensitive-words filter: matching, evasions, exemptions, lexicon files, starter lexicon."""

import json
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wangge.portal.sensitive import (
    CATEGORIES,
    EXEMPT,
    TRADITIONAL,
    Flag,
    Hit,
    Matcher,
    load_lexicon,
    normalise_word,
    scan,
    starter_lexicon,
    starter_matcher,
)

SIMPLIFIED_TO_TRADITIONAL = {}
for traditional, simplified in TRADITIONAL.items():
    SIMPLIFIED_TO_TRADITIONAL.setdefault(simplified, traditional)


def words(matcher, text):
    return [(h.word, text[h.start : h.end]) for h in matcher.find(text)]


# --- the automaton ---------------------------------------------------------------------------


def test_it_reports_offsets_into_the_original_text():
    matcher = Matcher([("百家乐", "赌博")])
    text = "欢迎光临，百家乐真人在线"
    assert matcher.find(text) == [Hit(word="百家乐", category="赌博", start=5, end=8)]


def test_it_reports_overlapping_and_nested_hits():
    matcher = Matcher(
        [("澳门新葡京", "赌博"), ("葡京", "赌博"), ("新葡京娱乐", "赌博"), ("京娱", "赌博")]
    )
    text = "澳门新葡京娱乐"
    found = {(h.word, h.start, h.end) for h in matcher.find(text)}
    assert found == {("澳门新葡京", 0, 5), ("葡京", 3, 5), ("新葡京娱乐", 2, 7), ("京娱", 4, 6)}


def test_it_reports_every_occurrence():
    matcher = Matcher([("乐乐", "赌博")])
    assert [(h.start, h.end) for h in matcher.find("乐乐乐乐")] == [(0, 2), (1, 3), (2, 4)]


def test_it_ignores_empty_words_and_lists_duplicates_once():
    matcher = Matcher([("", "赌博"), ("  ", "赌博"), ("★", "赌博"), ("百家乐", "赌博"),
                       ("百家乐", "色情"), ("百 家 樂", "引流")])  # fmt: skip
    assert len(matcher) == 1
    assert [(h.word, h.category) for h in matcher.find("百家乐")] == [("百家乐", "赌博")]
    assert Matcher([]).find("百家乐") == []


@settings(max_examples=300, deadline=None)
@given(
    lexicon=st.lists(st.text(alphabet="甲乙丙", min_size=1, max_size=4), min_size=1, max_size=8),
    text=st.text(alphabet="甲乙丙丁", max_size=40),
)
def test_it_finds_exactly_what_a_naive_search_finds(lexicon, text):
    matcher = Matcher((w, "赌博") for w in lexicon)
    expected = sorted(
        (w, i, i + len(w))
        for w in dict.fromkeys(lexicon)
        for i in range(len(text))
        if text.startswith(w, i)
    )
    assert sorted((h.word, h.start, h.end) for h in matcher.find(text)) == expected


@settings(max_examples=200, deadline=None)
@given(
    lexicon=st.lists(st.text(alphabet="甲乙丙", min_size=1, max_size=4), min_size=1, max_size=6),
    chars=st.text(alphabet="甲乙丙丁", max_size=30),
    noise=st.lists(st.text(alphabet=" ★●·_-|\u200b\u3000\t", max_size=3), min_size=31, max_size=31),
)
def test_it_sees_through_up_to_three_noise_characters_between_characters(lexicon, chars, noise):
    matcher = Matcher((w, "赌博") for w in lexicon)
    noisy, where = "", []
    for k, char in enumerate(chars):
        noisy += noise[k]
        where.append(len(noisy))
        noisy += char
    clean_hits = sorted((h.word, h.start, h.end) for h in matcher.find(chars))
    noisy_hits = sorted((h.word, h.start, h.end) for h in matcher.find(noisy))
    assert noisy_hits == [(w, where[s], where[e - 1] + 1) for w, s, e in clean_hits]


# --- evasions --------------------------------------------------------------------------------

EVASION = Matcher([("百家乐", "赌博"), ("av在线", "色情"), ("葳信", "引流"), ("一夜情", "色情"),
                   ("澳门新葡京", "赌博"), ("北京赛车pk10", "赌博")])  # fmt: skip


@pytest.mark.parametrize(
    "text, word",
    [
        ("ＡＶ在线", "av在线"),  # full-width letters
        ("Av在綫", None),  # 綫 is not in the table: no guessing beyond it
        ("AV在線", "av在线"),  # capitals, traditional
        ("аv在线", "av在线"),  # Cyrillic а
        ("百家樂", "百家乐"),
        ("澳門新葡京", "澳门新葡京"),
        ("百 家 乐", "百家乐"),
        ("百★家●乐", "百家乐"),
        ("百·家·乐", "百家乐"),
        ("百_-|家乐", "百家乐"),
        ("百\u200b家\u200d乐", "百家乐"),  # zero-width space and joiner
        ("百\u3000家\u3000乐", "百家乐"),  # ideographic space
        ("百【家】乐", "百家乐"),
        ("百   家乐", "百家乐"),  # three: still a gap
        ("百    家乐", None),  # four: too far apart
        ("北京赛车ＰＫ１０", "北京赛车pk10"),
        ("北 京 賽 車 p k 1 0", "北京赛车pk10"),
        ("葳.信", None),  # a phrase break joins no two-character word
        ("一.夜.情", "一夜情"),  # but spacing out every character does
        ("一。夜。情", "一夜情"),
        ("奋战一夜，情况好转", None),  # a break in one gap only is ordinary text
        ("工作了一夜\n情绪稳定", None),
        ("java在线教程", None),  # part of a longer Latin word
        ("AV在线", "av在线"),
        ("nav在线", None),
        ("免费AV在线", "av在线"),
        ("10av在线", None),
    ],
)
def test_it_resists_evasions(text, word):
    found = [h.word for h in EVASION.find(text)]
    assert found == ([word] if word else [])


def test_it_reports_the_span_of_an_evaded_word_in_the_original():
    text = "点击：百 ★ 家 ● 樂，注册"
    (hit,) = EVASION.find(text)
    assert text[hit.start : hit.end] == "百 ★ 家 ● 樂"


def test_it_folds_lexicon_words_as_it_folds_text():
    assert normalise_word("ＡＶ 在線") == "av在线"
    matcher = Matcher([("澳門新葡京", "赌博"), ("AV在線", "色情")])
    assert [h.word for h in matcher.find("澳门新葡京 av在线")] == ["澳門新葡京", "AV在線"]


def test_it_keeps_offsets_right_after_characters_that_fold_to_several():
    # "㍻" folds to two letters, "①" to one: offsets still index the original text.
    matcher = Matcher([("百家乐", "赌博")])
    text = "㍻①百家乐"
    (hit,) = matcher.find(text)
    assert (hit.start, hit.end) == (2, 5)


def test_it_does_not_report_a_hit_inside_an_exempt_phrase():
    matcher = Matcher([("刷单返利", "诈骗"), ("刷单返利类诈骗", EXEMPT)])
    assert matcher.find("警惕刷单返利类诈骗") == []
    found = matcher.find("刷单返利，日结三百。警惕刷单返利类诈骗")
    assert [(h.word, h.category, h.start) for h in found] == [("刷单返利", "诈骗", 0)]


# --- scan ------------------------------------------------------------------------------------


def test_it_flags_each_field_with_an_excerpt():
    body = "这是一段很长的正常正文内容，用于测试摘录的长度是否合适。点击进入百家乐官网注册就送。后面还有很多很多正常的文字内容。"
    flags = scan({"title": "社区通知", "meta_keywords": "百家乐,网格", "body": body}, EVASION)
    assert flags == [
        Flag(field="meta_keywords", word="百家乐", category="赌博", excerpt="百家乐,网格"),
        Flag(
            field="body",
            word="百家乐",
            category="赌博",
            excerpt="试摘录的长度是否合适。点击进入百家乐官网注册就送。后面还有很多很多",
        ),
    ]


def test_it_scans_empty_fields():
    assert scan({"title": "", "body": None}, EVASION) == []


# --- lexicon files ---------------------------------------------------------------------------


def test_it_loads_a_json_lexicon(tmp_path):
    path = tmp_path / "extra.json"
    path.write_text(json.dumps({"赌博": ["甲乙", "丙丁"], "豁免": ["甲乙丙"]}), encoding="utf-8")
    assert load_lexicon(path) == [("甲乙", "赌博"), ("丙丁", "赌博"), ("甲乙丙", EXEMPT)]


def test_it_loads_a_text_lexicon(tmp_path):
    path = tmp_path / "extra.txt"
    path.write_text("# 本地补充\n[色情]\n甲乙\n\n  丙丁  \n[引流]\n戊己\n", encoding="utf-8")
    assert load_lexicon(str(path)) == [("甲乙", "色情"), ("丙丁", "色情"), ("戊己", "引流")]


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("bad.json", '{"博彩": ["甲乙"]}', "类别“博彩”无效"),
        ("bad.json", '["甲乙"]', "JSON 对象"),
        ("bad.json", '{"赌博": ["甲乙",]}', "不是有效的 JSON"),
        ("bad.json", '{"赌博": [3]}', "不是文字"),
        ("bad.txt", "甲乙\n", "第 1 行"),
        ("bad.txt", "[其他]\n甲乙\n", "类别“其他”无效"),
    ],
)
def test_it_names_what_is_wrong_with_a_lexicon_file(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=message) as error:
        load_lexicon(path)
    assert name in str(error.value)


# --- the starter lexicon ---------------------------------------------------------------------

# Ordinary news, notices and disclosures of a district portal, including the campaigns against
# gambling, fraud and pornography that it reports.
GOVERNMENT_NEWS = [
    "社区网格员走访辖区独居老人，登记居民诉求12条。",
    "我区召开打击赌博违法犯罪专项行动推进会，部署下一阶段工作。",
    "公安分局依法查处一起聚众赌博案件，抓获违法人员5名。",
    "严厉打击“地下六合彩”等赌博违法犯罪活动，维护社会治安稳定。",
    "福利彩票公益金资助的社区养老服务中心正式投入使用。",
    "体育彩票投注站开展“公益体彩 乐善人生”宣传活动。",
    "本年度福彩公益金共支出38万元，用于困难群众救助。",
    "居民议事会围绕加装电梯事项进行协商，形成议事决议。",
    "物业服务企业星级评定结果公示，公示期为七个工作日。",
    "社区开展反诈宣传：警惕刷单返利类诈骗，不点陌生链接。",
    "民警提醒：刷单返利诈骗屡见不鲜，凡是刷单都是诈骗。",
    "防范裸聊敲诈，保护个人隐私，发现异常及时报警。",
    "扫黄打非进社区，营造健康文化环境。",
    "抢险队员奋战一夜，情况得到有效控制。",
    "经过一夜情况稳定，受灾群众已妥善安置。",
    "税务机关为个体工商户代开发票，办理时间缩短至十分钟。",
    "新办企业可申领免费刻章，一次办结。",
    "太阳城小区完成老旧小区改造，新增停车位120个。",
    "皇冠假日酒店周边道路施工，请绕行。",
    "金沙路街道党工委召开专题会议。",
    "网格长要在群众中树立威信，做到有事必应。",
    "请以官方发布的权威信息为准，不信谣不传谣。",
    "安徽信用体系建设经验交流会在我区召开。",
    "春节期间禁止燃放鞭炮友情提示。",
    "欢迎居民加入社区微信群和社区QQ群，及时了解通知。",
    "外卖骑手等新就业群体服务站揭牌，提供饮水充电服务。",
    "文化市场综合执法检查网吧、电子游艺场所和棋牌室。",
    "老年活动中心举办棋牌比赛，六十余名老人参加。",
    "家庭医生签约后可享受上门服务。",
    "葡萄采摘节在城郊农业园举行。",
    "区人才办组织青年教师申博经验交流。",
    "亚博会展团赴外地参展，推介我区特色产品。",
    "物业及时疏通管道，解决下水道返水问题。",
    "区财政公开年度三公经费预算和决算。",
    "成人教育招生简章发布，社区居民可报名。",
    "加强未成年人网络保护，净化网络环境。",
    "区政务服务中心推出“一网通办”新服务。",
    "街道举办消防安全知识讲座，提高居民自救能力。",
    "红色物业示范小区创建工作稳步推进。",
    "社区社会组织开展助老志愿服务活动。",
    "网格化管理实现全区一张网，事件处置率达98%。",
    "城管部门集中整治占道经营，恢复道路通行。",
    "关于2024年社区服务项目备案情况的公示。",
    "郑州市管城回族区召开基层治理工作会议。",
    "社区举办“邻里节”，居民自编自演文艺节目。",
    "一征三议两公开：小区停车收费方案表决结果公开。",
    "供需对接会（社洽会）促成场地、物资、服务等资源对接46项。",
    "区体育中心举办全民健身运动会，设足球、篮球、乒乓球项目。",
    "女性健康讲座：与女性息息相关的常见病预防。",
    "市场监管局提示：购买电子产品请认准正规渠道。",
]

# Spam as it is injected into hacked government pages, with the usual evasions.
SPAM = [
    ("澳门新葡京娱乐场官网，注册送彩金", "赌博"),
    ("百★家★乐真人視訊，在线赌场7x24小时", "赌博"),
    ("北京赛车PK10开奖直播，重庆时时彩计划", "赌博"),
    ("香港六合彩开奖结果，一肖中特，六合彩资料大全", "赌博"),
    ("威尼斯人娱乐城 首存送100%", "赌博"),
    ("皇冠体育投注 足球投注 滚球投注", "赌博"),
    ("开元棋牌 真钱棋牌 提现秒到账", "赌博"),
    ("太 阳 城 娱 乐 官 网 入 口", "赌博"),
    ("ＢＥＴ３６５ 官方网站", "赌博"),
    ("成人视频 AV在线观看 免费看", "色情"),
    ("同城一夜情、裸聊、约炮", "色情"),
    ("日本ＡＶ女优 无码高清", "色情"),
    ("色‧情‧直‧播 24小时", "色情"),
    ("代开各地发票，办证刻章，电话138xxxx", "诈骗"),
    ("刷单返利，日结300，兼职刷单", "诈骗"),
    ("加葳信：abc123，领取资料", "引流"),
    ("详情加威信 v信同号", "引流"),
    ("最新网址发布页 永久网址 防封网址", "引流"),
]


def test_the_starter_lexicon_is_a_few_hundred_entries_in_known_categories():
    lexicon = starter_lexicon()
    listed = [word for word, category in lexicon if category != EXEMPT]
    assert len(listed) >= 250
    assert {category for _, category in lexicon} == {*CATEGORIES, EXEMPT}
    assert len(set(map(normalise_word, listed))) == len(listed)


def test_no_starter_entry_contains_another():
    # A word inside another is already found by itself: the longer one only doubles the flags.
    keys = [normalise_word(w) for w, category in starter_lexicon() if category != EXEMPT]
    assert [(a, b) for a in keys for b in keys if a != b and a in b] == []


def test_starter_lexicon_avoids_words_that_ordinary_news_uses():
    for risky in [
        "彩票",
        "赌博",
        "博彩",
        "六合彩",
        "微信",
        "威信",
        "代开发票",
        "刻章",
        "上门服务",
        "太阳城",
    ]:
        assert risky not in {normalise_word(w) for w, _ in starter_lexicon()}


@pytest.mark.parametrize("sentence", GOVERNMENT_NEWS)
def test_the_starter_lexicon_flags_no_ordinary_government_news(sentence):
    assert words(starter_matcher(), sentence) == []


def test_the_news_corpus_is_large_enough():
    assert len(GOVERNMENT_NEWS) >= 30


@pytest.mark.parametrize("text, category", SPAM)
def test_the_starter_lexicon_flags_spam(text, category):
    hits = starter_matcher().find(text)
    assert hits, text
    assert category in {h.category for h in hits}


def test_every_starter_word_is_found_in_traditional_form_and_spaced_out():
    matcher = starter_matcher()
    for word, category in starter_lexicon():
        if category == EXEMPT:
            continue
        traditional = "".join(SIMPLIFIED_TO_TRADITIONAL.get(c, c) for c in word)
        for text in (traditional, "★".join(traditional), f"看{word.upper()}看"):
            assert word in [h.word for h in matcher.find(text)], text


def test_it_builds_and_scans_fast():
    lexicon = starter_lexicon()
    build = min(_timed(lambda: Matcher(lexicon)) for _ in range(3))
    matcher = Matcher(lexicon)
    news = "".join(GOVERNMENT_NEWS) * 40
    text = news.encode()[: 100_000 - 9].decode(errors="ignore") + "百家乐"  # 100 KB in UTF-8
    scan_time = min(_timed(lambda: matcher.find(text)) for _ in range(3))
    assert len(text.encode()) > 99_990 and [h.word for h in matcher.find(text)] == ["百家乐"]
    assert build < 0.5, build
    assert scan_time < 0.1, scan_time


def _timed(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start
