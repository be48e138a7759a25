"""Open311 API keys: issued once by command, revoked by command."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.cases.factories import point_in
from wangge.cases.models import Case, Open311Client


def _report(client, people, key):
    lon, lat = point_in(people.home_grid)
    form = {"api_key": key, "service_code": "manhole_cover", "lat": str(lat), "long": str(lon), "description": "井盖缺失"}
    return client.post("/open311/v2/requests.json", form)


def test_a_revoked_key_is_refused_and_its_cases_stay(client, people, capsys):
    call_command("open311", "key", "--name", "市民热线")
    key = capsys.readouterr().out.strip()
    assert _report(client, people, key).status_code == 200

    call_command("open311", "revoke", "--name", "市民热线")
    assert "已吊销" in capsys.readouterr().out

    refused = _report(client, people, key)
    assert refused.status_code == 403 and "api_key" in refused.json()[0]["description"]
    holder = Open311Client.objects.get(name="市民热线")
    assert not holder.active and not holder.user.is_active
    assert Case.objects.filter(reporter=holder.user).count() == 1


def test_revoking_an_unknown_client_names_it(db):
    with pytest.raises(CommandError, match="没有名为「无此客户端」的客户端"):
        call_command("open311", "revoke", "--name", "无此客户端")
