"""audit_tokens.py: each finding from a token built for it; --fail-on; at most three requests."""
from __future__ import annotations

import csv
import io
import json
import time

import pytest
from conftest import add_tokens

GOOD = {"sessionType": 0, "hashType": "SHA256", "sessionUserId": "svc", "sessionPrivileges": "setrole:PLAYBACK_BASE_ROLE"}


def audit(run, *argv: str) -> dict[str, list[str]]:
    code, out, err = run("audit_tokens", "--json", *argv)
    assert code == 0, err
    return {t["id"]: sorted(f["code"] for f in t["findings"]) for t in json.loads(out)["findings"]}


def test_a_clean_token_has_no_findings(sb, admin, write_settings, run):
    write_settings()
    sb.add_user("svc")
    token = add_tokens(admin, 1, expiry=int(time.time()) + 90 * 86400, **GOOD)[0]
    assert audit(run) == {token.id: []}


@pytest.mark.parametrize("fields,code,severity", [
    ({"expiry": None}, "never-expires", "high"),
    ({"expiry": -3600}, "expired-still-active", "medium"),
    ({"expiry": 10 * 86400}, "expires-soon", "low"),
    ({"sessionType": 2}, "admin-session", "high"),
    ({"sessionType": 2, "sessionPrivileges": ""}, "admin-session", "critical"),
    ({"sessionType": None}, "no-session-type", "high"),
    ({"hashType": "MD5"}, "weak-hash", "medium"),
    ({"hashType": "SHA1"}, "weak-hash", "low"),
    ({"sessionPrivileges": "privacycontext:x"}, "no-role", "medium"),
    ({"sessionPrivileges": "setrole:987654"}, "role-missing", "high"),
    ({"sessionPrivileges": "setrole:BLOCKED_ROLE"}, "role-blocked", "medium"),
    ({"sessionUserId": None}, "no-user", "medium"),
    ({"sessionUserId": "ghost"}, "user-missing", "medium"),
    ({"sessionPrivileges": "setrole:PLAYBACK_BASE_ROLE,disableentitlement"}, "entitlement-disabled", "high"),
    ({"sessionPrivileges": "setrole:PLAYBACK_BASE_ROLE,privacycontext:a,b"}, "unknown-privilege", "medium"),
    ({"sessionDuration": 8 * 86400}, "long-sessions", "low"),
], ids=lambda v: v if isinstance(v, str) else None)
def test_each_finding(sb, admin, write_settings, run, fields, code, severity):
    write_settings()
    sb.add_user("svc")
    sb.add_role("Blocked", "", system_name="BLOCKED_ROLE", status=2)
    values = {**GOOD, "expiry": 90 * 86400, **fields}
    values = {k: v for k, v in values.items() if v is not None}
    token = add_tokens(admin, 1, **values)[0]
    if fields.get("sessionUserId") == "ghost":
        sb.state.data["users"][f"{sb.partner_id}/ghost"]["status"] = 2  # gone without the server's cascade
    code_, out, err = run("audit_tokens", "--json")
    found = json.loads(out)["findings"][0]["findings"]
    expected = [code, "no-role"] if fields.get("sessionPrivileges") == "" else [code]
    assert [f["code"] for f in found] == expected, found
    assert found[0]["severity"] == severity
    assert json.loads(out)["findings"][0]["id"] == token.id


def test_fail_on_exit_codes(sb, admin, write_settings, run):
    write_settings()
    sb.add_user("svc")
    add_tokens(admin, 1, **{**GOOD, "expiry": int(time.time()) + 90 * 86400, "hashType": "SHA1"})  # low only
    assert run("audit_tokens", "--fail-on", "low")[0] == 3
    assert run("audit_tokens", "--fail-on", "medium")[0] == 0
    add_tokens(admin, 1, **{**GOOD, "sessionType": 2})  # high, and never expires (high)
    assert run("audit_tokens", "--fail-on", "high")[0] == 3
    assert run("audit_tokens", "--fail-on", "critical")[0] == 0
    with pytest.raises(SystemExit) as info:
        run("audit_tokens", "--fail-on", "severe")
    assert info.value.code == 2


def test_many_tokens_in_three_requests_table_and_csv(sb, admin, write_settings, run):
    write_settings()
    made = []
    for i in range(0, 600, 100):
        admin.startMultiRequest()
        from KalturaClient.Plugins.Core import KalturaAppToken
        for j in range(i, i + 100):
            token = KalturaAppToken()
            token.sessionUserId, token.sessionType, token.hashType = f"user{j}", 0, "SHA256"
            token.sessionPrivileges, token.expiry = "setrole:PLAYBACK_BASE_ROLE", 90 * 86400
            admin.appToken.add(token)
        made += admin.doMultiRequest()
    sb.clear_requests()
    code, out, err = run("audit_tokens")
    assert code == 0
    assert len(sb.requests) == 3
    assert sb.requests[2]["calls"] == ["user.list", "user.list"]
    assert "600 active tokens on partner" in out and "0 critical, 0 high, 0 medium, 0 low" in out
    sb.state.data["users"][f"{sb.partner_id}/user7"]["status"] = 2
    code, out, err = run("audit_tokens", "--csv")
    records = list(csv.DictReader(io.StringIO(out)))
    assert [(r["sessionUserId"], r["code"], r["severity"]) for r in records] == [("user7", "user-missing", "medium")]
    assert records[0]["role"] == "PLAYBACK BASE ROLE"


def test_table_groups_findings_by_token(sb, admin, write_settings, run):
    write_settings()
    token = add_tokens(admin, 1)[0]  # a blank token: many findings
    code, out, err = run("audit_tokens")
    lines = out.splitlines()
    assert lines[0].startswith(f"{token.id}  user (any), role (none), expires never")
    assert lines[1] == "    critical no session type: the holder may ask for ADMIN sessions"
    assert lines[2].strip().startswith("high")
