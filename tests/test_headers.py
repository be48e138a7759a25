"""Security headers on every kind of response, and a clean deployment check with production
settings (GB/T 22239-2019 8.1.3 / 8.1.4, level 3)."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from wangge.headers import CONTENT_SECURITY_POLICY, content_security_policy

EXPECTED = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}
WANGGE = Path(sys.executable).parent / "wangge"


def assert_secured(response) -> None:
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, (name, response.status_code)
    policy = response.headers["Permissions-Policy"]
    assert "geolocation=(self)" in policy and "camera=(self)" in policy and "microphone=()" in policy


def test_the_policy_allows_nothing_from_elsewhere():
    directives = dict(d.split(" ", 1) for d in CONTENT_SECURITY_POLICY.split("; "))
    assert directives["default-src"] == directives["script-src"] == directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in CONTENT_SECURITY_POLICY


@pytest.mark.django_db
def test_it_secures_a_page(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert_secured(response)


@pytest.mark.django_db
def test_it_secures_an_api_response(client, people):
    response = client.get("/api/stats/headline", headers={"Authorization": f"Bearer {people.district_official.token}"})
    assert response.status_code == 200
    assert_secured(response)
    assert_secured(client.get("/api/stats/headline"))  # refused, and still secured


@pytest.mark.django_db
def test_it_secures_a_not_found_page(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert_secured(response)


def test_it_secures_a_static_file(settings, tmp_path):
    # WhiteNoise answers static files before the view middleware runs.
    (tmp_path / "probe").mkdir()
    (tmp_path / "probe" / "probe.css").write_text("body { color: black; }\n")
    settings.STATIC_ROOT = tmp_path
    response = Client().get("/static/probe/probe.css")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/css")
    assert_secured(response)


def _production_env(tmp_path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WANGGE_", "SECURE_", "DATABASE_URL", "DEBUG"))}
    return env | {
        "WANGGE_ENV": "production",
        "WANGGE_VAR_DIR": str(tmp_path),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "wangge.example.gov.cn",
        "CSRF_TRUSTED_ORIGINS": "https://wangge.example.gov.cn",
        "WANGGE_AUDIT_KEY": secrets.token_hex(32),
        "WANGGE_INDEX_KEY": secrets.token_hex(32),
        "WANGGE_FIELD_KEYS": f"1:{secrets.token_hex(16)}",
        "WANGGE_BACKUP_KEY": secrets.token_hex(32),
    }


def _deploy_check(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([str(WANGGE), "check", "--deploy", "--fail-level", "WARNING"], env=env, capture_output=True, text=True, timeout=120)


def test_the_deployment_check_is_clean_with_production_settings(tmp_path):
    done = _deploy_check(_production_env(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_the_deployment_check_fails_without_a_key(tmp_path):
    env = _production_env(tmp_path)
    del env["WANGGE_AUDIT_KEY"]
    done = _deploy_check(env)
    assert done.returncode != 0
    assert "WANGGE_AUDIT_KEY" in done.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = _production_env(tmp_path)
    del env["SECRET_KEY"]
    done = _deploy_check(env)
    assert done.returncode != 0 and "SECRET_KEY" in done.stderr
    assert not (tmp_path / "secret_key").exists()


def test_a_nul_character_is_refused_at_the_door(api, people):
    from wangge.people.models import Person

    person = Person.objects.filter(household__building__grid_code=people.home_grid.code).first()
    patched = api.patch(f"/api/residents/{person.pk}", token=people.grid_worker.token, json={"name": "张\u0000三"})
    assert patched.status_code == 400 and "U+0000" in patched.json()["detail"]
    assert Person.objects.get(pk=person.pk).name == person.name
    assert api.get("/api/residents?grid=%00", token=people.grid_worker.token).status_code == 400
    assert Client().post("/login", "username=a%00b&password=x", content_type="application/x-www-form-urlencoded").status_code == 400


def test_a_configured_tile_server_is_the_one_other_host_images_may_come_from():
    policy = content_security_policy("https://t{s}.tianditu.gov.cn/vec_w/wmts?tk=KEY&x={x}&y={y}&z={z}")
    directives = dict(d.split(" ", 1) for d in policy.split("; "))
    assert directives["img-src"] == "'self' data: https://*.tianditu.gov.cn"
    assert directives["script-src"] == "'self'" and directives["connect-src"] == "'self'"
