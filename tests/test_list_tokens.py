"""list_tokens.py: every page in two requests, masking, filters, CSV, one token in full."""
from __future__ import annotations

import csv
import io
import json
import time

from conftest import add_tokens


def test_650_tokens_in_two_requests_newest_first(sb, admin, write_settings, run):
    write_settings()
    made = add_tokens(admin, 650, sessionType=0, hashType="SHA256", description="bulk")
    for i, token in enumerate(made):  # distinct creation times, oldest first
        sb.state.data["tokens"][token.id]["createdAt"] = 1_700_000_000 + i
    sb.clear_requests()
    code, out, err = run("list_tokens", "--json")
    assert code == 0, err
    listed = json.loads(out)
    assert len(listed) == 650
    assert [t["id"] for t in listed] == [t.id for t in reversed(made)]
    assert [r["calls"] for r in sb.requests] == [["apptoken.list", "userrole.list"], ["apptoken.list"]]
    assert all(t["token"].endswith("…") and len(t["token"]) == 5 for t in listed)
    assert "650 active tokens on partner" in err


def test_table_masks_and_resolves_roles(sb, admin, write_settings, run):
    write_settings()
    role = sb.add_role("Captions Vendor", "CAPTION_MODIFY")
    admin_tokens = add_tokens(admin, 1, sessionType=0, sessionUserId="vendor", hashType="SHA256",
                              sessionPrivileges=f"setrole:{role['id']},privacycontext:captions",
                              expiry=int(time.time()) + 12 * 86400 + 60, description="captions")
    add_tokens(admin, 1, sessionPrivileges="setrole:424242")
    code, out, err = run("list_tokens")
    assert code == 0
    header, rule, *rows = out.splitlines()
    assert header.split() == ["id", "user", "type", "role", "context", "expires", "hash", "description"]
    first = rows[1] if admin_tokens[0].id in rows[1] else rows[0]
    assert "vendor" in first and "Captions Vendor" in first and "captions" in first and "(in 12 days)" in first
    assert "SHA256" in first
    assert any("424242 (no such role)" in r and "(unset)" in r and "never" in r and "SHA1" in r for r in rows)
    assert admin_tokens[0].token not in out
    code, out, err = run("list_tokens", "--show-secrets", "--json")
    assert admin_tokens[0].token in out


def test_filters(sb, admin, write_settings, run):
    write_settings()
    now = int(time.time())
    soon = add_tokens(admin, 1, sessionUserId="alice", expiry=now + 5 * 86400)[0]
    later = add_tokens(admin, 1, sessionUserId="bob", expiry=now + 90 * 86400)[0]
    old = add_tokens(admin, 1, sessionUserId="alice")[0]
    sb.state.data["tokens"][old.id]["createdAt"] = now - 40 * 86400

    def ids(*argv: str) -> set[str]:
        code, out, err = run("list_tokens", "--json", *argv)
        assert code == 0, err
        return {t["id"] for t in json.loads(out)}
    assert ids("--user", "alice") == {soon.id, old.id}
    assert ids("--user", "nobody") == set()
    assert ids("--expiring-within", "30d") == {soon.id}
    assert ids("--created-since", "30d") == {soon.id, later.id}
    assert ids("--created-before", "30d") == {old.id}
    code, out, err = run("list_tokens", "--expiring-within", "soon")
    assert code == 2 and "--expiring-within 'soon' must be a duration" in err
    code, out, err = run("list_tokens", "--created-since", "last week")
    assert code == 2 and "'last week' is not a date (2026-11-01), date-time, duration ago (30d) or unix time" in err
    assert ids("--created-since", "2000-01-01", "--created-before", "2100-01-01") == {soon.id, later.id, old.id}


def test_csv(sb, admin, write_settings, run):
    write_settings()
    token = add_tokens(admin, 1, sessionUserId="carol", sessionPrivileges="setrole:PLAYBACK_BASE_ROLE")[0]
    code, out, err = run("list_tokens", "--csv")
    records = list(csv.DictReader(io.StringIO(out)))
    assert records[0]["id"] == token.id and records[0]["sessionUserId"] == "carol"
    assert records[0]["role"] == "PLAYBACK BASE ROLE" and records[0]["token"] == token.token[:4] + "…"


def test_show_one_token_in_full(sb, admin, write_settings, run):
    write_settings()
    token = add_tokens(admin, 1, sessionType=0, sessionUserId="svc",
                       sessionPrivileges="setrole:PLAYBACK_BASE_ROLE,privacycontext:lectures,b")[0]
    sb.clear_requests()
    code, out, err = run("list_tokens", token.id)
    assert code == 0
    assert f"  id            {token.id}" in out and f"  token         {token.token[:4]}…" in out
    assert "setrole:PLAYBACK_BASE_ROLE   sessions get the role PLAYBACK_BASE_ROLE (PLAYBACK BASE ROLE)" in out
    assert 'privacycontext:lectures      sessions see entries in categories with privacy context "lectures"' in out
    assert "not a privilege the server knows (perhaps left by a comma in a value)" in out
    assert len(sb.requests) == 1
    code, out, err = run("list_tokens", "0_nosuch00")
    assert code == 1 and "no active app token '0_nosuch00'" in err and "[APP_TOKEN_ID_NOT_FOUND]" in err
