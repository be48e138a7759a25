"""The portal's footer: 主办单位, address, contact, ICP 备案号 and 政府网站标识码 come from the
settings, and a line that is not set is not shown at all."""

from django.test import Client, override_settings

FOOTER = {
    "WANGGE_PORTAL_HOST_ORG": "某区网格化服务管理中心",
    "WANGGE_PORTAL_ADDRESS": "某路 1 号",
    "WANGGE_PORTAL_CONTACT": "0371-12345678",
    "WANGGE_PORTAL_ICP": "豫ICP备12345678号",
    "WANGGE_PORTAL_GOV_CODE": "4101040001",
}


def _footer(path: str) -> str:
    html = Client().get(path).content.decode()
    return html[html.index('<footer class="portal-footer">'):]


def test_it_shows_each_line_the_settings_give(db):
    with override_settings(**FOOTER):
        for path in ("/", "/services"):
            footer = _footer(path)
            assert '<p id="footer-host">主办单位：某区网格化服务管理中心</p>' in footer
            assert '<p id="footer-address">地址：某路 1 号</p>' in footer
            assert '<p id="footer-contact">联系方式：0371-12345678</p>' in footer
            assert '<p id="footer-icp">ICP 备案号：豫ICP备12345678号</p>' in footer
            assert '<p id="footer-gov-code">政府网站标识码：4101040001</p>' in footer


def test_it_shows_nothing_for_a_line_that_is_not_set(db):
    with override_settings(**{**{key: "" for key in FOOTER}, "WANGGE_PORTAL_ICP": "豫ICP备12345678号"}):
        footer = _footer("/")
    assert "ICP 备案号：豫ICP备12345678号" in footer
    for label in ("主办单位", "地址", "联系方式", "政府网站标识码"):
        assert label not in footer, label
