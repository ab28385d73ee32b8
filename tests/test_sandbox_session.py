"""session.*, KS formats and validation, permissions, through the official client."""
from __future__ import annotations

import base64
import time

from conftest import admin_ks, make_client
from KalturaClient import KalturaClient
from KalturaClient.Plugins.Core import KalturaAppToken, KalturaSessionType
from kshelp import decode


def test_start_with_admin_secret_gives_a_v2_ks_that_decodes(sb):
    ks = make_client(sb).session.start(sb.admin_secret, "admin", KalturaSessionType.ADMIN, sb.partner_id, 600,
                                       "setrole:2,privacycontext:x")
    assert ks.startswith("djJ8")
    fields = decode(ks, sb.admin_secret)
    assert fields["partner"] == str(sb.partner_id) and fields["_t"] == "2" and fields["_u"] == "admin"
    assert abs(int(fields["_e"]) - (time.time() + 600)) <= 2
    assert fields["setrole"] == "2" and fields["privacycontext"] == "x"


def test_start_with_user_secret_only_for_user_type(sb, raises_kaltura):
    client = make_client(sb)
    ks = client.session.start(sb.secret, "u1", KalturaSessionType.USER, sb.partner_id)
    assert decode(ks, sb.admin_secret)["_t"] == "0"  # signed with the admin secret all the same
    raises_kaltura("START_SESSION_ERROR", f"Error while starting session for partner [{sb.partner_id}]",
                   client.session.start, sb.secret, "u1", KalturaSessionType.ADMIN, sb.partner_id)
    raises_kaltura("START_SESSION_ERROR", None, client.session.start, "0" * 32, "", 2, sb.partner_id)
    raises_kaltura("START_SESSION_ERROR", "Error while starting session for partner [0]",
                   client.session.start, sb.admin_secret, "", 2)
    raises_kaltura("SERVICE_FORBIDDEN_CONTENT_BLOCKED", None, client.session.start, sb.admin_secret, "", 2, 99)
    raises_kaltura("INVALID_ENUM_VALUE", None, client.session.start, sb.admin_secret, "", 1, sb.partner_id)
    raises_kaltura("UNKNOWN_ROLE_ID", "Unknown role id", client.session.start, sb.admin_secret, "", 2,
                   sb.partner_id, 60, "setrole:NO_SUCH_ROLE")


def test_start_caps_expiry_at_partner_max(sb):
    ks = make_client(sb).session.start(sb.admin_secret, "", 2, sb.partner_id, 10 ** 6)
    assert int(decode(ks, sb.admin_secret)["_e"]) <= time.time() + 86400 + 1


def test_v1_partner_issues_v1(sb):
    sb.add_partner(4242, admin_secret="c" * 32, ks_version=1)
    ks = make_client(sb).session.start("c" * 32, "me", 2, 4242, 60, "sview:*")
    fields = decode(ks, "c" * 32)
    assert fields["version"] == "1" and fields["_u"] == "me" and fields["privileges"] == "sview:*"


def test_official_client_generated_ks_v1_and_v2_are_accepted(sb):
    v1 = KalturaClient.generateSession(sb.admin_secret, "gen1", 2, sb.partner_id, 60, "").decode()
    v2 = KalturaClient.generateSessionV2(sb.admin_secret, "gen2", 2, sb.partner_id, 60, "").decode()
    for ks, user in ((v1, "gen1"), (v2, "gen2")):
        info = make_client(sb, ks).session.get()
        assert info.userId == user and info.sessionType.getValue() == 2 and info.partnerId == sb.partner_id


def test_session_get_fields_and_empty_ks(sb, admin):
    user_ks = make_client(sb).session.start(sb.admin_secret, "u", 0, sb.partner_id, 60, "privacycontext:p")
    info = admin.session.get(user_ks)
    assert info.ks == "" and info.userId == "u" and info.sessionType.getValue() == 0
    assert info.privileges == "privacycontext:p" and abs(info.expiry - time.time() - 60) <= 2


def test_session_get_needs_admin(sb, raises_kaltura):
    user_ks = make_client(sb).session.start(sb.admin_secret, "u", 0, sb.partner_id)
    raises_kaltura("SERVICE_FORBIDDEN", "The access to service [session->get] is forbidden",
                   make_client(sb, user_ks).session.get)
    raises_kaltura("SERVICE_FORBIDDEN", "The access to service [userrole->list] is forbidden",
                   make_client(sb, user_ks).userRole.list)


def test_session_get_on_garbage_and_on_another_partner(sb, admin, raises_kaltura):
    raises_kaltura("INTERNAL_SERVERL_ERROR", "Internal server error occurred", admin.session.get, "garbage")
    sb.add_partner(888, admin_secret="d" * 32)
    other = KalturaClient.generateSessionV2("d" * 32, "", 2, 888, 60, "").decode()
    raises_kaltura("PARTNER_ACCESS_FORBIDDEN", f"Partner [{sb.partner_id}] cannot access partner [888]",
                   admin.session.get, other)


def test_invalid_and_expired_ks(sb, raises_kaltura):
    raises_kaltura("INVALID_KS", 'Invalid KS "nonsense", Error "-1,INVALID_STR"',
                   make_client(sb, "nonsense").session.get)
    wrong_secret = KalturaClient.generateSessionV2("e" * 32, "", 2, sb.partner_id, 60, "").decode()
    raises_kaltura("INVALID_KS", f'Invalid KS "{wrong_secret}", Error "-1,INVALID_STR"',
                   make_client(sb, wrong_secret).session.get)
    expired = KalturaClient.generateSessionV2(sb.admin_secret, "", 2, sb.partner_id, -10, "").decode()
    raises_kaltura("INVALID_KS", 'Invalid KS "EXPIRED", Error "-1,INVALID_STR"',
                   make_client(sb, expired).session.get)


def test_argument_errors_come_before_ks_expiry_and_permissions(sb, raises_kaltura):
    expired = KalturaClient.generateSessionV2(sb.admin_secret, "", 0, sb.partner_id, -10, "").decode()
    token = KalturaAppToken()
    token.sessionType = 5
    raises_kaltura("INVALID_ENUM_VALUE", None, make_client(sb, expired).appToken.add, token)
    raises_kaltura("INVALID_KS", None, make_client(sb, "garbage").appToken.add, token)


def test_session_end_logs_out(sb, raises_kaltura):
    ks = admin_ks(sb)
    client = make_client(sb, ks)
    client.session.end()
    raises_kaltura("INVALID_KS", 'Invalid KS "LOGOUT", Error "-1,INVALID_STR"', client.session.get)


def test_widget_session(sb, raises_kaltura):
    response = make_client(sb).session.startWidgetSession(f"_{sb.partner_id}")
    assert response.partnerId == sb.partner_id and response.userId == "0"
    fields = decode(response.ks, sb.admin_secret)
    assert fields["view"] == "*" and fields["widget"] == "1" and fields["_t"] == "0" and fields["_u"] == "0"
    raises_kaltura("INVALID_WIDGET_ID", "Unknown widget [_999]", make_client(sb).session.startWidgetSession,
                   "_999")


def test_plain_user_ks_and_no_ks_are_forbidden_admin_actions(sb, raises_kaltura):
    user_ks = make_client(sb).session.start(sb.admin_secret, "u", 0, sb.partner_id)
    for ks in (user_ks, None):
        raises_kaltura("SERVICE_FORBIDDEN", "The access to service [apptoken->add] is forbidden",
                       make_client(sb, ks).appToken.add, KalturaAppToken())


def test_setrole_decides_permissions(sb, raises_kaltura):
    manager = [r for r in sb.state.visible_roles(sb.partner_id) if r["name"] == "Manager"][0]
    # Manager has APP_TOKEN_BASE but not APP_TOKEN_ADD: even an ADMIN KS is restricted by setrole.
    ks = admin_ks(sb, privileges=f"setrole:{manager['id']}")
    assert make_client(sb, ks).appToken.list().totalCount == 0
    raises_kaltura("SERVICE_FORBIDDEN", None, make_client(sb, ks).appToken.add, KalturaAppToken())
    raises_kaltura("INVALID_OBJECT_ID", "Invalid object id [N/A]",
                   make_client(sb, admin_ks(sb, privileges="setrole:99999")).appToken.list)
    raises_kaltura("INVALID_SET_ROLE", "Invalid set role id",
                   make_client(sb, admin_ks(sb, privileges="setrole:-3")).appToken.list)


def test_actions_limit(sb, raises_kaltura):
    client = make_client(sb, admin_ks(sb, privileges="actionslimit:2"))
    client.appToken.list()
    client.appToken.list()
    raises_kaltura("INVALID_KS", 'Invalid KS "EXCEEDED_ACTIONS_LIMIT", Error "-1,INVALID_STR"',
                   client.appToken.list)
    raises_kaltura("INVALID_ACTIONS_LIMIT", "Invalid actions limit",
                   make_client(sb, admin_ks(sb, privileges="actionslimit:x")).appToken.list)


def test_urirestrict(sb, raises_kaltura):
    client = make_client(sb, admin_ks(sb, privileges="urirestrict:/api_v3/service/media/*"))
    raises_kaltura("INVALID_KS", 'Invalid KS "EXCEEDED_RESTRICTED_URI", Error "-1,INVALID_STR"',
                   client.appToken.list)
    allowed = make_client(sb, admin_ks(sb, privileges="urirestrict:/api_v3/service/apptoken/*"))
    assert allowed.appToken.list().totalCount == 0


def test_v1_ks_layout_matches_the_notes(sb):
    sb.add_partner(4343, admin_secret="f" * 32, ks_version=1)
    ks = make_client(sb).session.start("f" * 32, "who", 0, 4343, 60, "a:b")
    info = base64.b64decode(ks).split(b"|", 1)[1].decode().split(";")
    assert len(info) == 9 and info[0] == info[1] == "4343" and info[3] == "0" and info[5] == "who"
    assert info[6] == "a:b" and info[7] == "" and info[8] == ""
