"""The reports in the shell's components: grids and divisions by name, their codes on hover."""

import re

from django.test import Client


def test_the_staffing_report_names_grids_and_divisions_with_codes_on_hover(people):
    client = Client()
    client.force_login(people.subdistrict_official.user)
    page = client.get("/people/staffing").content.decode()
    community = people.home_grid.community
    assert f'<span class="code-name" title="{community.code}">{community.name}</span>' in page
    assert '<div class="code">' not in page
    links = re.findall(r'<a href="/my-grid\?grid=(\d+)" title="(\d+)">([^<]+)</a>', page)
    assert links and all(code == title and name != code for code, title, name in links)
