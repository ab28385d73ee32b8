"""Exactly one token under faults, bounded time, hostile answers: what the server holds afterwards."""
from __future__ import annotations

import json
import time

import pytest


def only_token(sb) -> dict:
    tokens = sb.tokens()
    assert len(tokens) == 1, tokens
    return tokens[0]


@pytest.mark.parametrize("fault,note", [
    ({"drop": True}, "the answer to appToken.add was lost"),
    ({"status": 503, "commit": True}, "answered HTTP 503"),
    ({"truncate": True}, "an incomplete XML document"),
    ({"body": b"<html><body>502 Bad Gateway</body></html>"}, "an HTML page"),
], ids=["lost-answer-after-commit", "503-after-commit", "truncated-xml", "html-page"])
def test_committed_but_answer_lost_is_recovered(sb, write_settings, run, fault, note):
    write_settings(request_timeout=1)
    sb.faults.add("apptoken.add", times=1, **fault)
    code, out, err = run("create_token", "--json")
    assert code == 0, err
    token = only_token(sb)
    assert json.loads(out)["id"] == token["id"] and json.loads(out)["token"] == token["token"]
    assert f"the token was created: recovered {token['id']}" in err and note in err
    assert [c for c in sb.calls() if c == "apptoken.add"] == ["apptoken.add"]


def test_503_before_commit_creates_it_on_the_second_try(sb, write_settings, run):
    write_settings(request_timeout=1)
    sb.faults.add("apptoken.add", times=1, status=503, commit=False)
    code, out, err = run("create_token", "--json")
    assert code == 0, err
    token = only_token(sb)
    assert json.loads(out)["id"] == token["id"]
    assert f"created {token['id']} on the second try" in err


def test_delay_past_the_timeout_then_commit_is_recovered(sb, write_settings, run):
    write_settings(request_timeout=1)
    sb.faults.add("apptoken.add", times=1, delay=1.4)
    started = time.monotonic()
    code, out, err = run("create_token", "--json")
    assert code == 0, err
    assert "no answer within request_timeout" in err and "recovered" in err
    assert json.loads(out)["id"] == only_token(sb)["id"]
    assert time.monotonic() - started < 4


def test_slow_commit_after_the_retry_is_revoked(sb, write_settings, run):
    write_settings(request_timeout=1)
    sb.faults.add("apptoken.add", times=1, delay=2.4)
    code, out, err = run("create_token", "--json")
    assert code == 0, err
    kept = json.loads(out)["id"]
    assert only_token(sb)["id"] == kept
    assert "a slow server also created" in err and "revoked it, so one token per user exists" in err
    assert len(sb.tokens(include_deleted=True)) == 2


def test_failing_server_ends_within_four_timeouts_and_creates_nothing(sb, write_settings, run):
    write_settings(request_timeout=1)
    sb.faults.add("apptoken.add", status=503, commit=False)
    started = time.monotonic()
    code, out, err = run("create_token")
    elapsed = time.monotonic() - started
    assert code == 1 and sb.tokens() == []
    assert "no token with marker [kat:" in err and "so nothing was created" in err
    assert elapsed <= 4 * 1 + 0.5, elapsed


def test_reads_are_retried_writes_are_not(sb, write_settings, run):
    write_settings(request_timeout=1)
    sb.faults.add("userrole.list", times=2, status=502, commit=False)
    code, out, err = run("create_token")
    assert code == 0, err
    assert sb.calls().count("userrole.list") == 3 and sb.calls().count("apptoken.add") == 1


def test_reads_give_up_within_the_budget(sb, write_settings, run):
    write_settings(request_timeout=1)
    sb.faults.add("apptoken.list", delay=1.5)
    started = time.monotonic()
    code, out, err = run("list_tokens")
    assert code == 1 and "no answer within request_timeout" in err
    assert time.monotonic() - started <= 4.5


def test_unreachable_server_is_not_retried_blindly_for_writes(sb, write_settings, run):
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    write_settings(service_url=f"http://127.0.0.1:{port}", role_id="", privacy_context="", request_timeout=1)
    started = time.monotonic()
    code, out, err = run("create_token")
    assert code == 1 and "the connection was refused" in err and time.monotonic() - started < 2


def test_rotate_uses_the_same_mechanism(sb, admin, write_settings, run, tmp_path):
    from conftest import add_tokens
    write_settings(request_timeout=1)
    old = add_tokens(admin, 1, hashType="SHA256", description="vendor")[0]
    sb.faults.add("apptoken.add", times=1, drop=True)
    code, out, err = run("rotate_token", old.id, "--json")
    assert code == 0, err
    new = json.loads(out)["new"]
    assert "recovered" in err and {t["id"] for t in sb.tokens()} == {old.id, new["id"]}


@pytest.mark.parametrize("fault,expected", [
    ({"body": b'<?xml version="1.0" encoding="utf-8"?><xml><nothing></nothing></xml>'},
     "answered XML without a <result>"),
    ({"body": b'<?xml version="1.0" encoding="utf-8"?><xml><result><objectType>KalturaUserRole</objectType>'
              b'<id>3</id></result></xml>'}, "where KalturaAppTokenListResponse was expected"),
    ({"body": b"x" * (65 * 1024 * 1024)}, "with more than 64 MB"),
    ({"redirect": "https://login.example.com/sso"}, "a redirect to login.example.com; redirects are not followed"),
    ({"status": 500, "commit": False}, "answered HTTP 500 (text/html)"),
], ids=["no-result", "unexpected-object-type", "huge-body", "redirect", "500"])
def test_hostile_answers_are_clear_messages(sb, write_settings, run, fault, expected):
    write_settings(request_timeout=2)
    sb.faults.add("apptoken.list", **fault)
    code, out, err = run("list_tokens")
    assert code == 1 and expected in err and sb.service_url in err
    assert "Traceback" not in err and out == ""


def test_unexpected_object_type_from_add_is_checked_on_the_server(sb, write_settings, run):
    write_settings(request_timeout=1, role_id="", privacy_context="")
    sb.faults.add("apptoken.add", body=b'<?xml version="1.0" encoding="utf-8"?><xml><result><objectType>'
                                       b'KalturaUserRole</objectType><id>3</id></result></xml>')
    code, out, err = run("create_token", "--json")
    assert code == 0 and "Unexpected object type 'KalturaUserRole'" in err and "recovered" in err
    assert json.loads(out)["id"] == only_token(sb)["id"]


def test_ctrl_c_exits_130_with_one_line(sb, write_settings, tmp_path):
    import os
    import signal
    import subprocess
    import sys

    from conftest import ROOT
    write_settings(request_timeout=30)
    sb.faults.add("userrole.list", delay=5, times=1)
    env = {k: v for k, v in os.environ.items() if not k.startswith("KALTURA_")}
    proc = subprocess.Popen([sys.executable, str(ROOT / "create_token.py")], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 10
    while not any("userrole.list" in r["calls"] for r in sb.requests) and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=10)
    assert proc.returncode == 130
    assert err.splitlines()[-1] == "interrupted" and "Traceback" not in err and out == ""
    assert sb.tokens() == []
