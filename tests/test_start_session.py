"""start_session.py, the holder's side: bundle or environment, every hash type, auto, explanations."""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys

import pytest
from conftest import ROOT, add_tokens, make_client
from kshelp import decode


def write_bundle(tmp_path, sb, token, **extra) -> str:
    data = {"id": token.id, "token": token.token, "partnerId": sb.partner_id, "serviceUrl": sb.service_url,
            "hashType": token.hashType.getValue(), "sessionUserId": token.sessionUserId or None, **extra}
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(data))
    path.chmod(0o600)
    return str(path)


@pytest.mark.parametrize("hash_type", ["MD5", "SHA1", "SHA256", "SHA512"])
def test_bundle_flow_for_every_hash_type(sb, admin, run, tmp_path, hash_type):
    token = add_tokens(admin, 1, hashType=hash_type, sessionType=0, sessionUserId="svc",
                       sessionPrivileges="setrole:PLAYBACK_BASE_ROLE")[0]
    sb.clear_requests()
    code, out, err = run("start_session", "--bundle", write_bundle(tmp_path, sb, token))
    assert code == 0, err
    ks = out.strip()
    fields = decode(ks, sb.admin_secret)
    assert fields["_u"] == "svc" and fields["sessionid"] == token.id and fields["setrole"] == "PLAYBACK_BASE_ROLE"
    assert [r["calls"] for r in sb.requests] == [["session.startwidgetsession"], ["apptoken.startsession"]]
    assert "USER session for user svc" in err
    assert f"privileges: sessionid:{token.id},apptoken:{token.id},setrole:PLAYBACK_BASE_ROLE" in err
    make_client(sb, ks).session.startWidgetSession(f"_{sb.partner_id}")  # the KS works


@pytest.mark.parametrize("hash_type", ["MD5", "SHA1", "SHA256", "SHA512"])
def test_auto_finds_the_hash_type_in_two_requests(sb, admin, run, monkeypatch, hash_type):
    token = add_tokens(admin, 1, hashType=hash_type)[0]
    monkeypatch.setenv("KALTURA_APP_TOKEN", token.token)
    monkeypatch.setenv("KALTURA_PARTNER_ID", str(sb.partner_id))
    monkeypatch.setenv("KALTURA_SERVICE_URL", sb.service_url)
    sb.clear_requests()
    code, out, err = run("start_session", "--token-id", token.id, "--hash-type", "auto", "--json")
    assert code == 0, err
    result = json.loads(out)
    assert result["hashType"] == hash_type and f"this token uses hash type {hash_type}" in err
    assert len(sb.requests) == 2


def test_token_created_without_hash_type_is_sha1_by_default(sb, admin, run, monkeypatch):
    token = add_tokens(admin, 1)[0]
    monkeypatch.setenv("KALTURA_APP_TOKEN", token.token)
    monkeypatch.setenv("KALTURA_PARTNER_ID", str(sb.partner_id))
    monkeypatch.setenv("KALTURA_SERVICE_URL", sb.service_url)
    code, out, err = run("start_session", "--token-id", token.id)  # no hash type anywhere: auto
    assert code == 0 and "this token uses hash type SHA1" in err


def test_wrong_hash_type_is_explained(sb, admin, run, tmp_path):
    token = add_tokens(admin, 1, hashType="SHA256")[0]
    path = write_bundle(tmp_path, sb, token, hashType="SHA1")
    code, out, err = run("start_session", "--bundle", path)
    assert code == 1 and out == ""
    assert "the server computed a different hash" in err and "(this used SHA1;" in err
    assert "--hash-type auto tries all four" in err and "not the token id" in err
    assert "[INVALID_APP_TOKEN_HASH]" in err and token.token not in err


def test_token_id_instead_of_value_is_refused_before_sending(sb, admin, run, monkeypatch):
    token = add_tokens(admin, 1)[0]
    monkeypatch.setenv("KALTURA_APP_TOKEN", token.id)
    monkeypatch.setenv("KALTURA_PARTNER_ID", str(sb.partner_id))
    sb.clear_requests()
    code, out, err = run("start_session", "--token-id", token.id)
    assert code == 2 and "looks like a token id" in err and sb.requests == []


def test_missing_inputs_are_listed_together(sb, run, monkeypatch):
    import io
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    code, out, err = run("start_session")
    assert code == 2
    assert "no token id" in err and "no token value" in err and "never taken from the command line" in err
    assert "no partner id" in err


def test_explain_prints_a_test_vector(sb, admin, run, tmp_path):
    token = add_tokens(admin, 1, hashType="SHA256")[0]
    code, out, err = run("start_session", "--bundle", write_bundle(tmp_path, sb, token), "--explain")
    assert code == 0
    lines = err.splitlines()
    widget = lines[lines.index('  1. session.startWidgetSession("_<partnerId>") gives a widget KS:') + 1].strip()
    digest = lines[lines.index("  3. SHA256 of those bytes, written as lowercase hex:") + 1].strip()
    assert digest == hashlib.sha256((widget + token.token).encode()).hexdigest()
    assert f"here {token.token[:4]}…" in err and token.token not in err
    assert "printf '%s%s' \"$WIDGET_KS\" \"$TOKEN\" | sha256sum" in err


def test_expiry_only_shortens_and_user_only_when_unbound(sb, admin, run, tmp_path):
    import time
    token = add_tokens(admin, 1, hashType="SHA256", sessionDuration=3600)[0]
    path = write_bundle(tmp_path, sb, token)
    code, out, err = run("start_session", "--bundle", path, "--expiry", "60", "--user", "guest", "--json")
    result = json.loads(out)
    assert abs(result["expiry"] - time.time() - 60) < 3 and result["userId"] == "guest"
    code, out, err = run("start_session", "--bundle", path, "--expiry", "99999", "--json")
    assert abs(json.loads(out)["expiry"] - time.time() - 3600) < 3
    bound = add_tokens(admin, 1, hashType="SHA256", sessionUserId="svc")[0]
    code, out, err = run("start_session", "--bundle", write_bundle(tmp_path, sb, bound), "--user", "other")
    assert code == 2 and "bound to user 'svc'" in err


def test_revoked_and_expired_tokens(sb, admin, run, tmp_path):
    import time
    token = add_tokens(admin, 1, hashType="SHA256")[0]
    path = write_bundle(tmp_path, sb, token)
    admin.appToken.delete(token.id)
    code, out, err = run("start_session", "--bundle", path)
    assert code == 1 and "[APP_TOKEN_ID_NOT_FOUND]" in err
    expired = add_tokens(admin, 1, hashType="SHA256", expiry=int(time.time()) - 5)[0]
    code, out, err = run("start_session", "--bundle", write_bundle(tmp_path, sb, expired))
    assert code == 1 and "has expired; ask its administrator for a new one [APP_TOKEN_EXPIRED]" in err


def test_as_a_subprocess_with_the_environment(sb, admin):
    token = add_tokens(admin, 1, hashType="SHA512")[0]
    env = {k: v for k, v in os.environ.items() if not k.startswith("KALTURA_")}
    env.update(KALTURA_APP_TOKEN=token.token, KALTURA_PARTNER_ID=str(sb.partner_id),
               KALTURA_SERVICE_URL=sb.service_url, KALTURA_APP_TOKEN_HASH_TYPE="SHA512")
    result = subprocess.run([sys.executable, str(ROOT / "start_session.py"), "--token-id", token.id],
                            env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert decode(result.stdout.strip(), sb.admin_secret)["apptoken"] == token.id
    assert token.token not in result.stdout + result.stderr
