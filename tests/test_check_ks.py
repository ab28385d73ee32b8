"""check_ks.py: local decoding of v1 and v2 (the sandbox's and the official client's), server and probe."""
from __future__ import annotations

import hashlib
import json
import time

from conftest import add_tokens, admin_ks, make_client
from KalturaClient import KalturaClient


def holder_ks(sb, admin, **fields) -> tuple[str, object]:
    token = add_tokens(admin, 1, hashType="SHA256", **fields)[0]
    client = make_client(sb)
    widget = client.session.startWidgetSession(f"_{sb.partner_id}").ks
    client.setKs(widget)
    return client.appToken.startSession(token.id, hashlib.sha256((widget + token.token).encode()).hexdigest()).ks, token


def test_decodes_a_sandbox_v2_ks_locally_with_no_request(sb, admin, write_settings, run):
    write_settings()
    ks, token = holder_ks(sb, admin, sessionType=0, sessionUserId="svc",
                          sessionPrivileges="setrole:PLAYBACK_BASE_ROLE,privacycontext:lectures,actionslimit:5")
    sb.clear_requests()
    code, out, err = run("check_ks", ks)
    assert code == 0 and sb.requests == []
    assert "  version     2" in out and f"  partner     {sb.partner_id}" in out and "  user        svc" in out
    assert "  type        USER (0)" in out and "(in 24 hours)" in out
    assert f"sessionid:{token.id}" in out and f"made from app token {token.id}" in out
    assert "each KS works for 5 calls only" in out
    assert ks not in out + err


def test_official_client_v1_and_v2(sb, write_settings, run):
    write_settings()
    for generate, version in ((KalturaClient.generateSession, "1"), (KalturaClient.generateSessionV2, "2")):
        ks = generate(sb.admin_secret, "someone", 2, sb.partner_id, 600, "privacycontext:x").decode()
        code, out, err = run("check_ks", ks, "--json")
        data = json.loads(out)
        assert code == 0 and data["version"] == int(version) and data["userId"] == "someone"
        assert data["sessionType"] == "ADMIN" and abs(data["expiry"] - time.time() - 600) < 3
        assert data["privileges"] == "privacycontext:x"


def test_sandbox_v1_ks(sb, write_settings, run):
    sb.add_partner(5151, admin_secret="9" * 32, ks_version=1)
    write_settings(partner_id=5151, admin_secret="9" * 32, role_id="")
    ks = make_client(sb).session.start("9" * 32, "v1user", 0, 5151, 120, "sview:*")
    code, out, err = run("check_ks", ks, "--json")
    data = json.loads(out)
    assert data["version"] == 1 and data["userId"] == "v1user" and data["privileges"] == "sview:*"


def test_expired_wrong_secret_and_garbage(sb, write_settings, run):
    write_settings()
    expired = KalturaClient.generateSessionV2(sb.admin_secret, "", 0, sb.partner_id, -3600, "").decode()
    code, out, err = run("check_ks", expired)
    assert code == 0 and "expired 1 hour ago" in out
    other = KalturaClient.generateSessionV2("1" * 32, "", 0, sb.partner_id, 60, "").decode()
    code, out, err = run("check_ks", other)
    assert code == 2 and "the admin secret does not open this KS" in err
    code, out, err = run("check_ks", "not-a-ks!")
    assert code == 2 and "this is not a KS" in err


def test_stdin_resolve_and_probe(sb, admin, write_settings, run, monkeypatch):
    import io
    write_settings()
    ks, token = holder_ks(sb, admin, sessionPrivileges="setrole:PLAYBACK_BASE_ROLE")
    monkeypatch.setattr("sys.stdin", io.StringIO(ks + "\n"))
    code, out, err = run("check_ks", "--resolve", "--probe")
    assert code == 0
    assert "PLAYBACK_BASE_ROLE (PLAYBACK BASE ROLE)" in out and "probe       valid" in out
    admin.appToken.delete(token.id)
    code, out, err = run("check_ks", ks, "--probe")
    assert code == 1 and "probe       revoked" in out
    expired = KalturaClient.generateSessionV2(sb.admin_secret, "", 0, sb.partner_id, -5, "").decode()
    code, out, err = run("check_ks", expired, "--probe", "--json")
    assert code == 1 and json.loads(out)["probe"]["state"] == "expired"


def test_server_side_with_and_without_settings(sb, write_settings, run, monkeypatch):
    user_ks = make_client(sb).session.start(sb.admin_secret, "u9", 0, sb.partner_id, 300, "privacycontext:p")
    admin_only = admin_ks(sb)
    monkeypatch.setenv("KALTURA_SERVICE_URL", sb.service_url)
    code, out, err = run("check_ks", admin_only, "--json")  # no settings: the admin KS reads itself
    assert code == 0 and json.loads(out)["sessionType"] == "ADMIN"
    code, out, err = run("check_ks", user_ks)
    assert code == 1 and "this KS may not read itself" in err and "[SERVICE_FORBIDDEN]" in err
    write_settings()
    code, out, err = run("check_ks", user_ks, "--server", "--json")
    data = json.loads(out)
    assert code == 0 and data["userId"] == "u9" and data["privileges"] == "privacycontext:p"
    assert data["version"] is None
