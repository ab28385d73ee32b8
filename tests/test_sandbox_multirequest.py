"""multirequest: 0-based keys from the client, 1-based references, errors in their slot."""
from __future__ import annotations

import requests
from conftest import admin_ks, make_client
from KalturaClient.exceptions import KalturaException
from KalturaClient.Plugins.Core import KalturaAppToken, KalturaAppTokenFilter, KalturaSessionType


def test_ks_from_an_earlier_session_start_is_used_by_later_calls(sb):
    client = make_client(sb)
    client.startMultiRequest()
    ks = client.session.start(sb.admin_secret, "admin", KalturaSessionType.ADMIN, sb.partner_id)
    client.setKs(str(ks))
    token = KalturaAppToken()
    token.description = "in a multirequest"
    added = client.appToken.add(token)
    client.appToken.get(added.id)
    results = client.doMultiRequest()
    assert isinstance(results[0], str) and results[0].startswith("djJ8")
    assert results[1].description == "in a multirequest"
    assert results[2].id == results[1].id
    assert sb.requests[-1]["calls"] == ["session.start", "apptoken.add", "apptoken.get"]
    assert len(sb.requests) == 1


def test_failed_sub_request_is_an_error_item_and_later_ones_still_run(sb, admin):
    admin.startMultiRequest()
    admin.appToken.get("0_nosuch00")
    failed = admin.appToken.get("0_nosuch00")
    admin.appToken.get(failed.id)  # a reference into a failed result resolves to ''
    admin.appToken.add(KalturaAppToken())
    results = admin.doMultiRequest()
    assert isinstance(results[0], KalturaException) and results[0].code == "APP_TOKEN_ID_NOT_FOUND"
    assert results[2].message == 'Application token id "" not found'
    assert results[3].status.getValue() == 2


def test_flat_keys_path_references_and_all(sb):
    ks = admin_ks(sb)
    admin = make_client(sb, ks)
    ids = [admin.appToken.add(KalturaAppToken()).id for _ in range(2)]
    data = {
        "ks": ks,
        "1:service": "apptoken", "1:action": "list",
        "2:service": "apptoken", "2:action": "get", "2:id": "{1:result:objects:1:id}",
        "3:service": "apptoken", "3:action": "list", "3:filter:idIn": "{1:result:objects:_all:id}",
        "4:action": "list",  # no service: processing stops here
        "5:service": "apptoken", "5:action": "delete", "5:id": ids[0],
    }
    r = requests.post(sb.service_url + "/api_v3/service/multirequest", data=data, timeout=5)
    items = r.text.split("<item><objectType>KalturaAppTokenListResponse</objectType>")
    assert len(items) == 3
    assert f"<id>{ids[1]}</id>" in r.text
    assert r.text.count("<result><item>") == 1 and "</item></result>" in r.text
    assert len(sb.tokens()) == 2  # sub-request 5 never ran


def test_multirequest_list_of_many_pages_in_one_request(sb, admin):
    for _ in range(12):
        admin.appToken.add(KalturaAppToken())
    admin.startMultiRequest()
    from KalturaClient.Plugins.Core import KalturaFilterPager
    for index in (1, 2, 3):
        pager = KalturaFilterPager()
        pager.pageSize, pager.pageIndex = 5, index
        admin.appToken.list(KalturaAppTokenFilter(), pager)
    pages = admin.doMultiRequest()
    assert [len(p.objects) for p in pages] == [5, 5, 2]
    assert [p.totalCount for p in pages] == [12, 12, 12]


def test_json_format_multirequest_is_an_array_with_error_objects(sb):
    ks = admin_ks(sb)
    body = {"ks": ks, "format": "1",
            "0": {"service": "apptoken", "action": "add", "appToken": {"objectType": "KalturaAppToken"}},
            "1": {"service": "apptoken", "action": "get", "id": "{1:result:id}"},
            "2": {"service": "apptoken", "action": "get", "id": "0_nosuch00"}}
    import json as jsonlib
    r = requests.post(sb.service_url + "/api_v3/service/multirequest", data=jsonlib.dumps(body),
                      headers={"Content-Type": "application/json"}, timeout=5)
    data = r.json()
    assert isinstance(data, list) and len(data) == 3
    assert data[0]["objectType"] == "KalturaAppToken" and data[1]["id"] == data[0]["id"]
    assert data[2] == {"code": "APP_TOKEN_ID_NOT_FOUND", "message": 'Application token id "0_nosuch00" not found',
                       "objectType": "KalturaAPIException", "args": {"ID": "0_nosuch00"}}
