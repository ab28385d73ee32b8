"""appToken.add/get/list/update/delete and startSession, through the official client."""
from __future__ import annotations

import hashlib
import re
import time

import pytest
from conftest import admin_ks, make_client
from KalturaClient.Plugins.Core import (
    KalturaAppToken,
    KalturaAppTokenFilter,
    KalturaAppTokenHashType,
    KalturaAppTokenOrderBy,
    KalturaFilterPager,
    KalturaSessionType,
)
from kshelp import decode


def new_token(admin, **fields) -> KalturaAppToken:
    token = KalturaAppToken()
    for name, value in fields.items():
        setattr(token, name, value)
    return admin.appToken.add(token)


def holder_session(sb, token, **kwargs):
    """The documented flow: widget KS, hash with the token's type, startSession on the widget KS."""
    client = make_client(sb)
    widget = client.session.startWidgetSession(f"_{sb.partner_id}")
    client.setKs(widget.ks)
    algorithm = token.hashType.getValue().lower()
    digest = hashlib.new(algorithm, (widget.ks + token.token).encode()).hexdigest()
    return client, client.appToken.startSession(token.id, digest, **kwargs)


def test_add_defaults(sb, admin):
    before = int(time.time())
    token = new_token(admin, description="x")
    assert re.fullmatch(r"0_[0-9a-z]{8}", token.id)
    assert re.fullmatch(r"[0-9a-f]{32}", token.token)
    assert token.partnerId == sb.partner_id
    assert token.status.getValue() == 2
    assert token.hashType.getValue() == "SHA1"
    assert token.sessionType is None and token.expiry is None and token.sessionUserId == ""
    assert token.sessionDuration == 86400
    assert before <= token.createdAt == token.updatedAt <= int(time.time())
    assert admin.appToken.get(token.id).token == token.token


def test_session_duration_default_is_the_partners_max(sb):
    sb.add_partner(555, admin_secret="a" * 32, ks_max_expiry=3600)
    client = make_client(sb, make_client(sb).generateSessionV2("a" * 32, "", 2, 555, 60, "").decode())
    assert new_token(client).sessionDuration == 3600


def test_relative_and_absolute_expiry(admin):
    now = int(time.time())
    assert abs(new_token(admin, expiry=3600).expiry - (now + 3600)) <= 2
    assert new_token(admin, expiry=1900000000).expiry == 1900000000
    assert abs(new_token(admin, expiry=-60).expiry - (now - 60)) <= 2


def test_enum_errors_have_the_exact_message(admin, raises_kaltura):
    token = KalturaAppToken()
    token.sessionType = 1
    raises_kaltura("INVALID_ENUM_VALUE",
                   'Invalid enumeration value "1" for parameter "sessionType", '
                   'expecting enumeration type "KalturaSessionType"', admin.appToken.add, token)
    token = KalturaAppToken()
    token.hashType = "sha256"
    raises_kaltura("INVALID_ENUM_VALUE",
                   'Invalid enumeration value "sha256" for parameter "hashType", '
                   'expecting enumeration type "KalturaAppTokenHashType"', admin.appToken.add, token)


def test_read_only_fields_refused_on_add_and_on_changed_update(sb, admin, raises_kaltura):
    import requests
    r = requests.post(sb.service_url + "/api_v3/service/apptoken/action/add",
                      data={"ks": admin_ks(sb), "appToken:status": "1"}, timeout=5)
    assert "The property &quot;KalturaAppToken::status&quot; cannot be updated" in r.text
    token = new_token(admin)
    same = requests.post(sb.service_url + "/api_v3/service/apptoken/action/update",
                         data={"ks": admin_ks(sb), "id": token.id, "appToken:status": "2",
                               "appToken:description": "same status is fine"}, timeout=5)
    assert "<description>same status is fine</description>" in same.text
    other = requests.post(sb.service_url + "/api_v3/service/apptoken/action/update",
                          data={"ks": admin_ks(sb), "id": token.id, "appToken:status": "1"}, timeout=5)
    assert "<code>PROPERTY_VALIDATION_NOT_UPDATABLE</code>" in other.text


def test_session_user_id_rules(sb, admin, raises_kaltura):
    new_token(admin, sessionUserId="vendor@example.edu")
    assert [u["id"] for u in sb.users()] == ["vendor@example.edu"]
    raises_kaltura("INVALID_FIELD_VALUE", "value in field [sessionUserId] is not valid",
                   new_token, admin, sessionUserId="has space")
    raises_kaltura("INVALID_FIELD_VALUE", None, new_token, admin, sessionUserId="x" * 321)
    assert len(sb.tokens()) == 1


def test_update_applies_sent_fields_and_null_clears(sb, admin):
    token = new_token(admin, expiry=3600, description="old")
    update = KalturaAppToken()
    update.description = "new"
    update.expiry = None  # the client sends expiry__null
    result = admin.appToken.update(token.id, update)
    assert result.description == "new" and result.expiry is None
    assert sb.tokens()[0]["expiry"] is None and sb.tokens()[0]["description"] == "new"


def test_partner_scoping(sb, admin, raises_kaltura):
    token = new_token(admin)
    sb.add_partner(777, admin_secret="b" * 32)
    other = make_client(sb, make_client(sb).generateSessionV2("b" * 32, "", 2, 777, 60, "").decode())
    raises_kaltura("APP_TOKEN_ID_NOT_FOUND", f'Application token id "{token.id}" not found',
                   other.appToken.get, token.id)
    assert other.appToken.list().totalCount == 0


def test_delete_is_soft_and_hides_the_token_everywhere(sb, admin, raises_kaltura):
    token = new_token(admin, hashType=KalturaAppTokenHashType.SHA256)
    admin.appToken.delete(token.id)
    message = f'Application token id "{token.id}" not found'
    for fn, args in ((admin.appToken.get, (token.id,)), (admin.appToken.delete, (token.id,)),
                     (admin.appToken.update, (token.id, KalturaAppToken()))):
        raises_kaltura("APP_TOKEN_ID_NOT_FOUND", message, fn, *args)
    flt = KalturaAppTokenFilter()
    flt.statusEqual = 3
    assert admin.appToken.list(flt).totalCount == 0
    assert sb.tokens(include_deleted=True)[0]["status"] == 3


def test_list_pager_defaults_and_total_count_rule(sb, admin):
    ids = [new_token(admin).id for _ in range(35)]
    first = admin.appToken.list()
    assert len(first.objects) == 30 and first.totalCount == 35
    pager = KalturaFilterPager()
    pager.pageSize, pager.pageIndex = 30, 2
    second = admin.appToken.list(None, pager)
    assert [t.id for t in second.objects] == ids[30:] and second.totalCount == 35
    pager.pageIndex = 9
    past = admin.appToken.list(None, pager)
    assert past.objects == [] and past.totalCount == 35
    pager.pageSize, pager.pageIndex = 0, 1
    assert len(admin.appToken.list(None, pager).objects) == 35
    pager.pageSize, pager.pageIndex = 10000, -4
    assert len(admin.appToken.list(None, pager).objects) == 35


def test_list_filters(sb, admin):
    a = new_token(admin, sessionUserId="alice")
    b = new_token(admin, sessionUserId="bob")
    flt = KalturaAppTokenFilter()
    flt.sessionUserIdEqual = "alice"
    assert [t.id for t in admin.appToken.list(flt).objects] == [a.id]
    flt = KalturaAppTokenFilter()
    flt.sessionUserIdEqual = "nobody"
    result = admin.appToken.list(flt)
    assert result.totalCount == 0 and result.objects == []
    flt = KalturaAppTokenFilter()
    flt.idIn = f"{a.id},{b.id},0_zzzzzzzz"
    flt.orderBy = KalturaAppTokenOrderBy.CREATED_AT_DESC + ",+nonsense"
    assert {t.id for t in admin.appToken.list(flt).objects} == {a.id, b.id}
    flt = KalturaAppTokenFilter()
    flt.idEqual = b.id
    assert [t.id for t in admin.appToken.list(flt).objects] == [b.id]
    flt = KalturaAppTokenFilter()
    flt.createdAtGreaterThanOrEqual = -3600  # relative: an hour ago
    assert admin.appToken.list(flt).totalCount == 2
    flt.createdAtGreaterThanOrEqual = 3600
    assert admin.appToken.list(flt).totalCount == 0
    flt = KalturaAppTokenFilter()
    flt.statusIn = "2"
    assert admin.appToken.list(flt).totalCount == 2


def test_list_order_by_created_at(sb, admin):
    first = new_token(admin)
    second = new_token(admin)
    sb.state.data["tokens"][first.id]["createdAt"] -= 100
    flt = KalturaAppTokenFilter()
    flt.orderBy = "-createdAt"
    assert [t.id for t in admin.appToken.list(flt).objects] == [second.id, first.id]
    flt.orderBy = "+createdAt"
    assert [t.id for t in admin.appToken.list(flt).objects] == [first.id, second.id]


@pytest.mark.parametrize("hash_type", ["MD5", "SHA1", "SHA256", "SHA512"])
def test_holder_flow_for_every_hash_type(sb, admin, hash_type, raises_kaltura):
    token = new_token(admin, hashType=hash_type, sessionType=KalturaSessionType.USER, sessionUserId="svc",
                      sessionPrivileges="setrole:PLAYBACK_BASE_ROLE,privacycontext:lecture")
    client, info = holder_session(sb, token)
    assert info.userId == "svc" and info.sessionType.getValue() == 0 and info.partnerId == sb.partner_id
    assert info.privileges == (f"sessionid:{token.id},apptoken:{token.id},"
                               "setrole:PLAYBACK_BASE_ROLE,privacycontext:lecture")
    fields = decode(info.ks, sb.admin_secret)
    assert fields["_u"] == "svc" and fields["_t"] == "0" and int(fields["_e"]) == info.expiry
    assert fields["sessionid"] == token.id and fields["setrole"] == "PLAYBACK_BASE_ROLE"
    client.setKs(info.ks)
    client.session.startWidgetSession(f"_{sb.partner_id}")  # the KS works
    admin.appToken.delete(token.id)
    raises_kaltura("INVALID_KS", 'Invalid KS "LOGOUT", Error "-1,INVALID_STR"',
                   client.appToken.startSession, token.id, "x")


def test_wrong_hash_and_uppercase_hash_refused(sb, admin, raises_kaltura):
    token = new_token(admin, hashType="SHA256")
    client = make_client(sb)
    widget = client.session.startWidgetSession(f"_{sb.partner_id}").ks
    client.setKs(widget)
    good = hashlib.sha256((widget + token.token).encode()).hexdigest()
    raises_kaltura("INVALID_APP_TOKEN_HASH", "Invalid application token hash",
                   client.appToken.startSession, token.id, good.upper())
    raises_kaltura("INVALID_APP_TOKEN_HASH", None, client.appToken.startSession, token.id,
                   hashlib.sha1((widget + token.token).encode()).hexdigest())
    raises_kaltura("APP_TOKEN_ID_NOT_FOUND", None, client.appToken.startSession, "0_nosuch00", good)


def test_start_session_needs_a_ks(sb, admin, raises_kaltura):
    token = new_token(admin)
    raises_kaltura("SERVICE_FORBIDDEN", "The access to service [apptoken->startSession] is forbidden",
                   make_client(sb).appToken.startSession, token.id, "x")


def test_expiry_merge(sb, admin, raises_kaltura):
    now = int(time.time())
    token = new_token(admin, sessionDuration=600, expiry=now + 300)
    _, info = holder_session(sb, token)
    assert abs(info.expiry - (now + 300)) <= 2
    _, shorter = holder_session(sb, token, expiry=60)
    assert abs(shorter.expiry - (now + 60)) <= 2
    _, longer = holder_session(sb, token, expiry=100000)
    assert abs(longer.expiry - (now + 300)) <= 2
    expired = new_token(admin, expiry=-10)
    raises_kaltura("APP_TOKEN_EXPIRED", f'Application token id "{expired.id}" expired',
                   holder_session, sb, expired)


def test_blank_token_lets_the_holder_choose_type_and_user(sb, admin):
    token = new_token(admin)
    _, info = holder_session(sb, token, type=KalturaSessionType.ADMIN, userId="anyone")
    assert info.sessionType.getValue() == 2 and info.userId == "anyone"
    fixed = new_token(admin, sessionType=KalturaSessionType.USER, sessionUserId="svc")
    _, info = holder_session(sb, fixed, type=KalturaSessionType.ADMIN, userId="anyone")
    assert info.sessionType.getValue() == 0 and info.userId == "svc"


def test_privileges_merge_drops_reserved_extras(sb, admin):
    token = new_token(admin, sessionPrivileges="setrole:7,list:*,sessionid:extra")
    _, info = holder_session(sb, token, sessionPrivileges="setrole:2,disableentitlement,list:abc,myflag:1")
    assert info.privileges == (f"sessionid:{token.id}/extra,apptoken:{token.id},setrole:7,list:abc,myflag:1")


def test_deleting_a_user_deletes_its_tokens(sb, admin):
    token = new_token(admin, sessionUserId="leaver")
    admin.user.delete("leaver")
    assert admin.appToken.list().totalCount == 0
    assert sb.tokens(include_deleted=True)[0]["id"] == token.id
    assert sb.tokens(include_deleted=True)[0]["status"] == 3
