"""The staffing and party-organisation reports: the API refuses whom the pages refuse."""

import pytest


@pytest.mark.parametrize("path, page", [("/api/staff/report", "/people/staffing"), ("/api/party-organisations/report", "/people/party")])
@pytest.mark.parametrize("who, allowed", [("district_official", True), ("community_official", True), ("grid_worker", False),
                                          ("department_handler", False), ("resident", False)])
def test_it_answers_the_report_to_whom_the_page_answers(api, people, client, path, page, who, allowed):
    person = getattr(people, who)
    response = api.get(path, token=person.token)
    assert response.status_code == (200 if allowed else 403), response.text[:300]
    client.force_login(person.user)
    assert client.get(page).status_code == (200 if allowed else 403)
