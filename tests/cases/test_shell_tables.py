"""The queues in the shell's components: a grid shown by its name with its code on hover, the
status as a coloured tag, never a bare code."""

import re

from tests.cases.factories import case_in


def test_the_dispatch_queue_names_the_grid_and_tags_the_status(client, people):
    case = case_in(people, people.home_grid, client_id="shell-1")
    client.force_login(people.community_official.user)
    page = client.get("/cases/dispatch", {"grid": people.home_grid.code}).content.decode()
    row = re.search(rf'<tr id="case-{case.pk}".*?</tr>', page, re.S).group(0)
    assert f'<span class="code-name" title="{people.home_grid.code}">{people.home_grid.name}</span>' in row
    assert f"<td>{people.home_grid.code}</td>" not in row
    assert re.search(rf'<span class="tag tag-\w+">{case.get_status_display()}</span>', row)
