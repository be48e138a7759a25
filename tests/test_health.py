"""GET /health answers without sign-in, and says so when the database does not answer
(the database is made to fail by replacing Django's cursor, the one part not our own)."""

import pytest
from django.db import OperationalError, connection


@pytest.mark.django_db
def test_it_answers_ok_without_sign_in(client):
    response = client.get("/health")
    assert (response.status_code, response.content) == (200, b"ok")
    assert "sessionid" not in response.cookies


@pytest.mark.django_db
def test_it_refuses_writes(client):
    assert client.post("/health").status_code == 405


@pytest.mark.django_db
def test_it_answers_503_when_the_database_does_not(client, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken)
    assert client.get("/health").status_code == 503
