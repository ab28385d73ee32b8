"""create_token.py against the sandbox: what the server holds afterwards, round trips, output."""
from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time

import pytest
from conftest import MISSING, ROOT, make_client


def server_token(sb) -> dict:
    tokens = sb.tokens()
    assert len(tokens) == 1
    return tokens[0]


def test_happy_path_every_field_on_the_server(sb, write_settings, run):
    write_settings(apptoken_user="svc-vendor", session_duration=3600, extra_privileges="enableentitlement")
    sb.add_user("svc-vendor")
    code, out, err = run("create_token", "--json")
    assert code == 0, err
    token = server_token(sb)
    assert token["hashType"] == "SHA256" and token["sessionType"] == 0 and token["sessionDuration"] == 3600
    assert token["sessionUserId"] == "svc-vendor" and token["status"] == 2
    assert token["sessionPrivileges"] == "setrole:PLAYBACK_BASE_ROLE,privacycontext:mediaspace,enableentitlement"
    assert abs(token["expiry"] - (time.time() + 30 * 86400)) < 5
    description = token["description"]
    assert description.startswith("Vendor integration (for svc-vendor, created by admin@example.edu with "
                                   "kaltura_app_token create_token.py on ")
    assert "[kat:" in description
    bundle = json.loads(out)
    assert bundle == {"id": token["id"], "token": token["token"], "partnerId": sb.partner_id, "hashType": "SHA256",
                      "sessionType": "USER", "sessionUserId": "svc-vendor", "sessionDuration": 3600,
                      "expiry": token["expiry"], "sessionPrivileges": token["sessionPrivileges"],
                      "description": description, "serviceUrl": sb.service_url}
    assert len(sb.requests) == 2
    assert sb.requests[0]["calls"] == ["userrole.list", "user.get"]
    assert sb.requests[1]["calls"] == ["apptoken.add"]


def test_human_summary(sb, write_settings, run):
    write_settings()
    code, out, err = run("create_token")
    token = server_token(sb)
    assert code == 0
    assert f"Created app token {token['id']} on partner {sb.partner_id}." in out
    assert f"  token         {token['token']}" in out
    assert "(in 30 days)" in out
    assert 'sessions get the role PLAYBACK_BASE_ROLE (PLAYBACK BASE ROLE)' in out
    assert 'privacy context "mediaspace"' in out
    assert "session type  USER" in out and "hash type     SHA256" in out
    assert "Hand the holder, privately" in out
    assert "no apptoken_user" in err


def test_without_checks_it_is_one_request(sb, write_settings, run):
    write_settings(role_id="", privacy_context="")
    assert run("create_token")[0] == 0
    assert [r["calls"] for r in sb.requests] == [["apptoken.add"]]
    assert server_token(sb)["sessionPrivileges"] is None


def test_server_admin_session_rides_in_the_check_request(sb, write_settings, run):
    write_settings(admin_session="server", apptoken_user="svc")
    sb.add_user("svc")
    assert run("create_token")[0] == 0
    assert [r["calls"] for r in sb.requests] == [["session.start", "userrole.list", "user.get"], ["apptoken.add"]]


def test_save_writes_0600_and_never_overwrites(sb, write_settings, run, tmp_path):
    write_settings()
    target = tmp_path / "vendor-token.json"
    code, out, err = run("create_token", "--save", str(target))
    assert code == 0, err
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    saved = json.loads(target.read_text())
    assert saved["token"] == server_token(sb)["token"] and saved["serviceUrl"] == sb.service_url
    sb.clear_requests()
    code, out, err = run("create_token", "--save", str(target))
    assert code == 2 and "already exists; it is never overwritten" in err
    assert sb.requests == [] and len(sb.tokens()) == 1


def test_dry_run_creates_nothing(sb, write_settings, run):
    write_settings()
    code, out, err = run("create_token", "--dry-run")
    assert code == 0 and out.startswith("Would create (dry run, nothing sent):")
    assert "setrole:PLAYBACK_BASE_ROLE" in out
    assert sb.tokens() == [] and [r["calls"] for r in sb.requests] == [["userrole.list"]]


def test_unknown_role(sb, write_settings, run):
    write_settings(role_id="NO_SUCH_ROLE")
    code, out, err = run("create_token")
    assert code == 2
    assert f"role_id 'NO_SUCH_ROLE' names no role on partner {sb.partner_id}" in err
    assert sb.tokens() == []


def test_numeric_partner_role(sb, write_settings, run):
    role = sb.add_role("Vendor role", "CONTENT_MANAGE_BASE")
    write_settings(role_id=role["id"])
    assert run("create_token")[0] == 0
    assert server_token(sb)["sessionPrivileges"].startswith(f"setrole:{role['id']},")


def test_unknown_user_refused_unless_create_user(sb, write_settings, run):
    write_settings(apptoken_user="typo-user")
    code, out, err = run("create_token")
    assert code == 2 and "apptoken_user 'typo-user' does not exist" in err and "--create-user" in err
    assert sb.tokens() == [] and sb.users() == []
    code, out, err = run("create_token", "--create-user")
    assert code == 0 and [u["id"] for u in sb.users()] == ["typo-user"]
    assert server_token(sb)["sessionUserId"] == "typo-user"


def test_role_name_one_match(sb, write_settings, run):
    write_settings(role_id="", role_name="playback base")
    code, out, err = run("create_token")
    assert code == 0
    assert "role_name 'playback base' matched \"PLAYBACK BASE ROLE\" (id 7, system role); using it" in err
    assert server_token(sb)["sessionPrivileges"].startswith("setrole:7,")


def test_role_name_several_and_none(sb, write_settings, run):
    write_settings(role_id="", role_name="widget")
    code, out, err = run("create_token")
    assert code == 2 and "role_name 'widget' matches 3 roles" in err and "Set role_id" in err
    write_settings(role_id="", role_name="nothing like this")
    code, out, err = run("create_token")
    assert code == 2 and "matches no role" in err
    assert sb.tokens() == []


def test_wrong_admin_secret(sb, write_settings, run):
    write_settings(admin_secret="0" * 32)
    code, out, err = run("create_token")
    assert code == 1
    assert err.strip().endswith(f"error: admin_secret does not match partner {sb.partner_id} at {sb.service_url} "
                                "(or the partner is not there) [INVALID_KS]")
    write_settings(admin_secret="0" * 32, admin_session="server")
    code, out, err = run("create_token")
    assert code == 1 and f"admin_secret does not match partner {sb.partner_id}" in err
    assert "[START_SESSION_ERROR]" in err
    assert sb.tokens() == []


def test_local_clock_off(sb, write_settings, run):
    write_settings()
    sb.clock_offset = 3 * 3600
    code, out, err = run("create_token")
    assert code == 1 and "this computer's clock is off" in err and "[INVALID_KS]" in err


def test_admin_without_permission(sb, write_settings, run):
    manager = [r for r in sb.state.visible_roles(sb.partner_id) if r["name"] == "Manager"][0]
    sb.add_user("limited@example.edu", role_ids=str(manager["id"]))
    write_settings(userId="limited@example.edu", role_id="", privacy_context="")
    code, out, err = run("create_token")
    assert code == 1
    assert "the admin session (userId 'limited@example.edu') is not allowed to call appToken.add" in err
    assert "[SERVICE_FORBIDDEN]" in err


def test_unreachable_host(sb, write_settings, run):
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    write_settings(service_url=f"http://127.0.0.1:{port}")
    code, out, err = run("create_token")
    assert code == 1
    assert f"error: could not reach http://127.0.0.1:{port}: the connection was refused" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("fault,expected", [
    ({"status": 503, "commit": False}, "answered HTTP 503 (text/html) instead of Kaltura XML"),
    ({"body": b"<html><body>Login to the proxy</body></html>"}, "answered HTTP 200 with an HTML page"),
    ({"body": b""}, "answered HTTP 200 with an empty body"),
    ({"truncate": True}, "answered HTTP 200 with an incomplete XML document"),
], ids=["503", "html", "empty", "truncated"])
def test_answers_that_are_not_kaltura_xml(sb, write_settings, run, fault, expected):
    write_settings()
    sb.faults.add("userrole.list", **fault)
    code, out, err = run("create_token")
    assert code == 1 and expected in err and sb.service_url in err
    assert "Traceback" not in err and sb.tokens() == []


def test_precedence_flag_over_env_over_file(sb, write_settings, run, monkeypatch):
    write_settings(partner_id=999, role_id="", privacy_context="")
    monkeypatch.setenv("KALTURA_PARTNER_ID", str(sb.partner_id))
    assert run("create_token")[0] == 0
    assert len(sb.tokens()) == 1
    code, out, err = run("create_token", "--partner-id", "4444")
    assert code == 1 and "partner 4444" in err


def test_secrets_never_printed(sb, write_settings, run):
    write_settings(admin_secret="0" * 32)
    outputs = [run("create_token", "--debug")]
    write_settings()
    outputs += [run("create_token", "--debug"), run("create_token", "--json", "--debug")]
    for _, out, err in outputs:
        assert sb.admin_secret not in out + err
        assert "0" * 32 not in out + err
        assert "djJ8" not in out + err  # no KS (v2) of any kind


def test_fresh_clone_sandbox_subprocess(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("KALTURA_")}
    env["KALTURA_SANDBOX_DIR"] = str(tmp_path / ".sandbox")
    result = subprocess.run([sys.executable, str(ROOT / "create_token.py"), "--sandbox", "--json"], cwd=tmp_path,
                            env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    bundle = json.loads(result.stdout)
    assert bundle["partnerId"] == 1234567 and bundle["sessionPrivileges"] == \
        "setrole:PLAYBACK_BASE_ROLE,privacycontext:mediaspace"
    state = json.loads((tmp_path / ".sandbox" / "state.json").read_text())
    assert bundle["id"] in state["tokens"]
    assert "sandbox: partner 1234567" in result.stderr


def test_generated_description_and_default_session_type(sb, write_settings, run):
    write_settings(description=None, session_type=MISSING, hash_type=MISSING)
    assert run("create_token")[0] == 0
    token = server_token(sb)
    assert token["description"].startswith("App token for any user, created by admin@example.edu")
    assert token["sessionType"] == 0 and token["hashType"] == "SHA256"


def test_admin_session_type_is_warned(sb, write_settings, run):
    write_settings(session_type="ADMIN")
    code, out, err = run("create_token")
    assert code == 0 and "session_type is ADMIN" in err and server_token(sb)["sessionType"] == 2


def test_never_expires_is_warned_and_sent_as_no_expiry(sb, write_settings, run):
    write_settings(token_expiry=None)
    code, out, err = run("create_token")
    assert code == 0 and "will never expire" in err
    assert server_token(sb)["expiry"] is None and "expires       never" in out


def test_the_token_works_for_its_holder(sb, write_settings, run):
    """The created token really makes sessions with the settings' restrictions."""
    import hashlib
    write_settings()
    code, out, err = run("create_token", "--json")
    bundle = json.loads(out)
    client = make_client(sb)
    widget = client.session.startWidgetSession(f"_{sb.partner_id}").ks
    client.setKs(widget)
    info = client.appToken.startSession(bundle["id"], hashlib.sha256((widget + bundle["token"]).encode()).hexdigest(),
                                        type=2)
    assert info.sessionType.getValue() == 0  # the token's USER wins over the holder's ADMIN
    assert info.privileges.endswith("setrole:PLAYBACK_BASE_ROLE,privacycontext:mediaspace")


def test_tls_failure_is_a_sentence(sb, write_settings, run):
    port = sb.service_url.rsplit(":", 1)[1]
    write_settings(service_url=f"https://127.0.0.1:{port}", request_timeout=2)
    code, out, err = run("create_token")
    assert code == 1 and f"could not reach https://127.0.0.1:{port}: the TLS (https) handshake failed" in err
    assert "Traceback" not in err and sb.tokens() == []


def test_save_refused_inside_a_git_work_tree_unless_ignored_or_forced(sb, write_settings, run, tmp_path):
    write_settings(role_id="", privacy_context="")
    repo = tmp_path / "repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    (repo / ".gitignore").write_text("ignored.json\n")
    code, out, err = run("create_token", "--save", str(repo / "vendor.json"))
    assert code == 2 and "is inside a git work tree and not git-ignored" in err and sb.requests == []
    assert run("create_token", "--save", str(repo / "ignored.json"))[0] == 0
    assert run("create_token", "--save", str(repo / "vendor.json"), "--force")[0] == 0
    assert len(sb.tokens()) == 2


def test_empty_admin_secret_is_asked_for_on_a_terminal(sb, write_settings, tmp_path):
    """A hidden prompt when stdin is a terminal (a pty here); the secret is never echoed to the output."""
    import pty
    write_settings(admin_secret="", role_id="", privacy_context="")
    master, slave = pty.openpty()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KALTURA_")}
    proc = subprocess.Popen([sys.executable, str(ROOT / "create_token.py"), "--json"], cwd=tmp_path, env=env,
                            stdin=slave, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    os.close(slave)
    seen = ""
    while not seen.endswith("(input hidden): "):  # getpass flushes input typed before its prompt
        char = proc.stderr.read(1)
        assert char, seen
        seen += char
    os.write(master, (sb.admin_secret + "\n").encode())
    out, err = proc.communicate(timeout=60)
    os.close(master)
    assert proc.returncode == 0, seen + err
    assert seen.endswith("Kaltura admin secret (input hidden): ")
    err = seen + err
    assert sb.admin_secret not in out + err
    assert json.loads(out)["id"] == server_token(sb)["id"]
