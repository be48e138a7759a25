"""The projects on the public portal: the list from notice on, a project's page with its
objection form during notice, and the vote page of an open round for the community's residents
(once), with results and turnout after counting; no personal data on any of them."""

from django.core.cache import cache

from tests.projects.conftest import draft, in_notice, notice_over
from tests.projects.test_votes import YUAN, entries, open_round
from wangge.projects.models import Voter
from wangge.projects.selectors import project_objections
from wangge.projects.services.objections import project_objection_answer
from wangge.projects.services.votes import VOTED_ALREADY, round_move


def test_the_list_and_page_show_a_noticed_project_and_take_an_objection(client, people, world):
    cache.clear()
    noticed, hidden = in_notice(people, world), draft(people, world, title="草拟中的项目")
    listing = client.get("/services/projects").content.decode()
    assert noticed.title in listing and "草拟中的项目" not in listing
    assert client.get(f"/services/projects/{hidden.pk}").status_code == 404
    page = client.get(f"/services/projects/{noticed.pk}").content.decode()
    assert 'id="project-objection"' in page and "/projects/" + str(noticed.pk) + '"' not in page
    empty = client.post(f"/services/projects/{noticed.pk}", {"text": " "})
    assert empty.status_code == 400 and 'id="objection-text-error"' in empty.content.decode() and not project_objections(noticed).exists()
    lodged = client.post(f"/services/projects/{noticed.pk}", {"text": "选址离住户太近", "name": "李四", "phone": "13900000000"})
    objection = project_objections(noticed).get()
    assert lodged.status_code == 200 and objection.number in lodged.content.decode()
    project_objection_answer(project=noticed, objection=objection, actor=people.community_official.user, answer="已调整选址")
    answered = client.get(f"/services/projects/{noticed.pk}").content.decode()
    assert "已调整选址" in answered and "李四" not in answered and "13900000000" not in answered


def test_no_objection_is_taken_after_the_notice_period(client, people, world):
    cache.clear()
    project = notice_over(in_notice(people, world))
    assert 'id="project-objection"' not in client.get(f"/services/projects/{project.pk}").content.decode()
    late = client.post(f"/services/projects/{project.pk}", {"text": "晚了"})
    assert late.status_code == 400 and not project_objections(project).exists()


def test_a_resident_votes_once_and_the_page_says_so(client, people, world):
    vote_round = open_round(people, world, [3000 * YUAN, 4000 * YUAN], max_choices=1)
    first, second = entries(vote_round)
    url = f"/services/projects/rounds/{vote_round.pk}"
    assert "登录</a>后投票" in client.get(url).content.decode()
    client.force_login(world.voter.user)
    assert 'id="ballot"' in client.get(url).content.decode()
    too_many = client.post(url, {"choices": [first, second]})
    assert too_many.status_code == 400 and "最多选择 1 个项目" in too_many.content.decode() and not Voter.objects.exists()
    assert client.post(url, {"choices": [first]}).status_code == 302
    after = client.get(url).content.decode()
    assert 'id="ballot-done"' in after and 'id="ballot"' not in after
    again = client.post(url, {"choices": [second]})
    assert again.status_code == 400 and VOTED_ALREADY in again.content.decode() and Voter.objects.count() == 1


def test_a_resident_of_another_community_cannot_vote(client, people, world):
    vote_round = open_round(people, world, [3000 * YUAN])
    client.force_login(world.outsider.user)
    url = f"/services/projects/rounds/{vote_round.pk}"
    assert 'id="ballot"' not in client.get(url).content.decode()
    assert client.post(url, {"choices": entries(vote_round)}).status_code == 404 and not Voter.objects.exists()


def test_results_and_turnout_after_counting(client, people, world):
    vote_round = open_round(people, world, [3000 * YUAN, 9000 * YUAN])
    first, _ = entries(vote_round)
    client.force_login(world.voter.user)
    client.post(f"/services/projects/rounds/{vote_round.pk}", {"choices": [first]})
    official = people.community_official.user
    round_move(vote_round=round_move(vote_round=vote_round, actor=official, to="closed"), actor=official, to="counted")
    client.logout()
    page = client.get(f"/services/projects/rounds/{vote_round.pk}").content.decode()
    assert 'id="round-results"' in page and "参与投票 1 人" in page and "入选" in page and world.voter.user.full_name not in page
