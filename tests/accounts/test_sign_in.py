"""The sign-in page: every role signs in here; grid workers land on their grid."""

from django.test import Client

from tests.accounts.signing import give_password, sign_in


def test_a_grid_worker_lands_on_their_grid_and_an_official_on_the_map(people):
    assert sign_in(people.grid_worker.user).response.headers["Location"] == "/my-grid"
    official = sign_in(people.community_official.user)
    assert official.response.headers["Location"] == "/account/totp"  # the second factor first
    assert official.get("/").status_code == 200  # the public portal's home, for everyone
    assert official.get("/grids").status_code == 200


def test_a_wrong_password_is_refused_in_chinese(people):
    give_password(people.grid_worker.user, "The-right-one-123")
    response = Client().post("/login", {"username": "grid_worker", "password": "wrong"})
    assert response.status_code == 200 and "用户名或密码不正确" in response.content.decode()


def test_the_navigation_offers_only_what_the_role_may_open(people):
    worker = sign_in(people.grid_worker.user).get("/grids").content.decode()
    official = sign_in(people.community_official.user).get("/grids").content.decode()
    assert "我的网格" in worker and "网格力量" not in worker
    assert "我的网格" in official and "网格力量" in official and "党组织" in official


def test_signing_out_ends_the_session(people):
    client = sign_in(people.grid_worker.user)
    assert client.get("/my-grid").status_code == 200
    client.post("/logout")
    assert client.get("/my-grid").headers["Location"].startswith("/login")


def test_the_admin_sign_in_form_is_not_a_way_round_the_policy(db):
    assert Client().get("/admin/login/?next=/admin/").headers["Location"] == "/login?next=/admin/"
