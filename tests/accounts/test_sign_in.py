"""The sign-in page: every role signs in here; grid workers land on their grid."""

from django.test import Client


def _sign_in(user, password="correct horse battery") -> Client:
    user.set_password(password)
    user.save()
    client = Client()
    client.response = client.post("/login", {"username": user.username, "password": password})
    return client


def test_a_grid_worker_lands_on_their_grid_and_an_official_on_the_map(people):
    assert _sign_in(people.grid_worker.user).response.headers["Location"] == "/my-grid"
    assert _sign_in(people.community_official.user).response.headers["Location"] == "/grids"


def test_a_wrong_password_is_refused_in_chinese(people):
    people.grid_worker.user.set_password("the right one 123")
    people.grid_worker.user.save()
    response = Client().post("/login", {"username": "grid_worker", "password": "wrong"})
    assert response.status_code == 200 and "用户名或密码不正确" in response.content.decode()


def test_the_navigation_offers_only_what_the_role_may_open(people):
    worker = _sign_in(people.grid_worker.user).get("/grids").content.decode()
    official = _sign_in(people.community_official.user).get("/grids").content.decode()
    assert "我的网格" in worker and "网格力量" not in worker
    assert "我的网格" in official and "网格力量" in official and "党组织" in official


def test_signing_out_ends_the_session(people):
    client = _sign_in(people.grid_worker.user)
    assert client.get("/my-grid").status_code == 200
    client.post("/logout")
    assert client.get("/my-grid").headers["Location"].startswith("/login")
