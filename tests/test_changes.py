"""update_token.py, rotate_token.py, revoke_token.py: checked on the server side."""
from __future__ import annotations

import io
import json
import time

import pytest
from conftest import add_tokens, make_client


class Terminal(io.StringIO):
    """stdin as a terminal that answers the question."""

    def isatty(self) -> bool:
        return True


def stored(sb, token_id: str) -> dict:
    return sb.state.data["tokens"][token_id]


@pytest.fixture
def token(sb, admin, write_settings):
    write_settings()
    return add_tokens(admin, 1, sessionType=0, sessionUserId="svc", hashType="SHA256", sessionDuration=3600,
                      sessionPrivileges="setrole:PLAYBACK_BASE_ROLE,privacycontext:old,enableentitlement",
                      expiry=int(time.time()) + 30 * 86400, description="Vendor [kat:0123456789ab]")[0]


def test_update_sends_only_what_changed(sb, token, run):
    before = dict(stored(sb, token.id))
    sb.clear_requests()
    code, out, err = run("update_token", token.id, "--privacy-context", "new", "--expiry", "2030-01-31",
                         "--description", "Vendor, renewed")
    assert code == 0, err
    after = stored(sb, token.id)
    assert after["sessionPrivileges"] == "setrole:PLAYBACK_BASE_ROLE,privacycontext:new,enableentitlement"
    assert after["expiry"] == 1896134399
    assert after["description"] == "Vendor, renewed [kat:0123456789ab]"
    for unchanged in ("sessionUserId", "sessionType", "hashType", "sessionDuration", "token"):
        assert after[unchanged] == before[unchanged]
    assert [r["calls"] for r in sb.requests] == [["apptoken.get"], ["apptoken.update"]]
    assert "privacycontext:old" in out and "privacycontext:new" in out and "2030-01-31 23:59 UTC" in out


def test_update_role_checked_and_removed(sb, token, run):
    code, out, err = run("update_token", token.id, "--role", "NO_SUCH")
    assert code == 2 and "--role 'NO_SUCH' names no role" in err
    code, out, err = run("update_token", token.id, "--role", "")
    assert code == 0
    assert stored(sb, token.id)["sessionPrivileges"] == "privacycontext:old,enableentitlement"


def test_update_dry_run_and_nothing_to_change(sb, token, run):
    code, out, err = run("update_token", token.id, "--session-duration", "600", "--dry-run")
    assert code == 0 and out.startswith(f"Would change {token.id}:") and "dry run: nothing was sent" in err
    assert stored(sb, token.id)["sessionDuration"] == 3600
    code, out, err = run("update_token", token.id, "--session-duration", "3600")
    assert code == 0 and f"nothing to change on {token.id}" in err
    assert sb.requests[-1]["calls"] == ["apptoken.get"]


def test_update_expiry_never_warns_and_clears(sb, token, run):
    code, out, err = run("update_token", token.id, "--expiry", "never")
    assert code == 0 and "the token will never expire" in err
    assert stored(sb, token.id)["expiry"] is None


def test_update_validation_is_the_create_validation(sb, token, run):
    sb.clear_requests()
    for argv, message in ((["--privacy-context", "a,b"], "stray privilege 'b'"),
                          (["--expiry", "2001-01-01"], "is in the past"),
                          (["--extra-privileges", "setrole:3"], "'setrole' belongs in --role; remove it"),
                          (["--extra-privileges", "nosuch"], "--extra-privileges entry 'nosuch' is not a privilege"),
                          (["--user", "bad user"], "is not a user id Kaltura accepts"),
                          (["--hash-type", "sha3"], "--hash-type must be one of"),
                          (["--session-type", "ROOT"], "session_type must be one of USER, ADMIN")):
        code, out, err = run("update_token", token.id, *argv)
        assert code == 2 and message in err, (argv, err)
    assert sb.requests == []


def test_update_user_and_hash_type(sb, token, run):
    code, out, err = run("update_token", token.id, "--user", "newuser")
    assert code == 2 and "--create-user" in err
    code, out, err = run("update_token", token.id, "--user", "newuser", "--create-user", "--hash-type", "sha512")
    assert code == 0 and "the holder must hash with SHA512" in err
    assert stored(sb, token.id)["sessionUserId"] == "newuser" and stored(sb, token.id)["hashType"] == "SHA512"


def test_rotate_copies_settings_and_keeps_old_without_revoke(sb, token, run, tmp_path):
    target = tmp_path / "new.json"
    code, out, err = run("rotate_token", token.id, "--save", str(target))
    assert code == 0, err
    bundle = json.loads(target.read_text())
    old, new = stored(sb, token.id), stored(sb, bundle["id"])
    for name in ("sessionType", "sessionUserId", "hashType", "sessionDuration", "sessionPrivileges", "expiry"):
        assert new[name] == old[name], name
    assert new["token"] != old["token"] and old["status"] == 2
    assert new["description"].startswith(f"Vendor (rotated from {token.id} by kaltura_app_token on ")
    assert "[kat:0123456789ab]" not in new["description"] and "[kat:" in new["description"]
    assert f"old token  {token.id}  still active" in out and f"new token  {bundle['id']}" in out
    assert f"python revoke_token.py {token.id}" in err


def test_rotate_needs_save_or_json_and_revokes_when_asked(sb, token, run, tmp_path, monkeypatch):
    code, out, err = run("rotate_token", token.id)
    assert code == 2 and "--save FILE" in err and len(sb.tokens()) == 1
    code, out, err = run("rotate_token", token.id, "--json", "--revoke-old")  # no terminal, no --yes
    assert code == 2 and "pass --yes" in err and len(sb.tokens()) == 1
    monkeypatch.setattr("sys.stdin", Terminal("y\n"))
    code, out, err = run("rotate_token", token.id, "--json", "--revoke-old")
    assert code == 0, err
    result = json.loads(out)
    assert result["old"] == token.id and result["oldRevoked"] is True
    assert [t["id"] for t in sb.tokens()] == [result["new"]["id"]]


def test_revoke_kills_the_sessions_it_issued(sb, token, run, raises_kaltura):
    import hashlib
    client = make_client(sb)
    widget = client.session.startWidgetSession(f"_{sb.partner_id}").ks
    client.setKs(widget)
    ks = client.appToken.startSession(token.id, hashlib.sha256((widget + token.token).encode()).hexdigest()).ks
    holder = make_client(sb, ks)
    holder.session.startWidgetSession(f"_{sb.partner_id}")
    code, out, err = run("revoke_token", token.id, "--yes")
    assert code == 0 and f"revoked {token.id}; its sessions no longer work" in err
    assert sb.tokens() == []
    raises_kaltura("INVALID_KS", 'Invalid KS "LOGOUT", Error "-1,INVALID_STR"', holder.user.get, "svc")


def test_revoke_unknown_and_others_still_revoked(sb, admin, token, run):
    other = add_tokens(admin, 1)[0]
    sb.clear_requests()
    code, out, err = run("revoke_token", token.id, "0_nosuch00", other.id, "--yes", "--json")
    assert code == 1
    assert "no active app token '0_nosuch00'" in err
    assert json.loads(out)["revoked"] == [token.id, other.id]
    assert sb.tokens() == []
    assert [r["calls"] for r in sb.requests] == [["apptoken.get"] * 3, ["apptoken.delete"] * 2]
    code, out, err = run("revoke_token", token.id, "--yes")
    assert code == 1 and "[APP_TOKEN_ID_NOT_FOUND]" in err


def test_revoke_asks_and_refuses_without_a_terminal(sb, token, run, monkeypatch):
    sb.clear_requests()
    code, out, err = run("revoke_token", token.id)
    assert code == 2 and "there is no terminal to ask on; pass --yes" in err and sb.requests == []
    monkeypatch.setattr("sys.stdin", Terminal("n\n"))
    code, out, err = run("revoke_token", token.id)
    assert code == 0 and "nothing revoked" in err and len(sb.tokens()) == 1
    assert "Every session they issued stops working now" in err
