"""Fault injection, the control endpoint, state persistence, and the command line."""
from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

import pytest
import requests
from conftest import ROOT, make_client
from KalturaClient.exceptions import KalturaClientException
from KalturaClient.Plugins.Core import KalturaAppToken

from kaltura_sandbox import Sandbox


def test_lost_answer_after_commit(sb, admin):
    sb.faults.add("apptoken.add", drop=True, times=1)
    with pytest.raises(KalturaClientException):
        admin.appToken.add(KalturaAppToken())
    assert len(sb.tokens()) == 1  # the server did the work
    admin.appToken.add(KalturaAppToken())  # only the first time
    assert len(sb.tokens()) == 2


def test_503_before_commit_creates_nothing(sb, admin):
    sb.faults.add("apptoken.add", status=503, commit=False)
    r = requests.post(sb.service_url + "/api_v3/service/apptoken/action/add", timeout=5)
    assert r.status_code == 503 and r.text.startswith("<html>")
    assert sb.tokens() == []


def test_503_after_commit_creates_the_token(sb, admin):
    sb.faults.add("apptoken.add", status=503, commit=True)
    admin.startMultiRequest()  # faults also match calls inside a multirequest
    admin.appToken.add(KalturaAppToken())
    with pytest.raises(KalturaClientException):  # the HTML page has no <result>
        admin.doMultiRequest()
    assert len(sb.tokens()) == 1


def test_truncated_and_replaced_bodies(sb, admin):
    sb.faults.add("apptoken.list", truncate=True, times=1)
    sb.faults.add("apptoken.list", body=b"not xml at all", times=1)
    first = requests.post(sb.service_url + "/api_v3/service/apptoken/action/list", timeout=5).text
    assert first.startswith("<?xml") and not first.endswith("</xml>")
    assert requests.post(sb.service_url + "/api_v3/service/apptoken/action/list", timeout=5).text == "not xml at all"
    assert "<xml>" in requests.post(sb.service_url + "/api_v3/service/apptoken/action/list", timeout=5).text


def test_delay_and_redirect(sb):
    sb.faults.add("session.startwidgetsession", delay=0.3, times=1)
    started = time.time()
    make_client(sb).session.startWidgetSession(f"_{sb.partner_id}")
    assert time.time() - started >= 0.3
    sb.faults.add("*", redirect="http://127.0.0.2:9/elsewhere", times=1)
    r = requests.post(sb.service_url + "/api_v3/service/apptoken/action/list", allow_redirects=False, timeout=5)
    assert r.status_code == 302 and r.headers["Location"] == "http://127.0.0.2:9/elsewhere"


def test_control_endpoint(sb):
    control = sb.service_url + "/__sandbox__/"
    assert requests.post(control + "faults", json={"action": "apptoken.get", "status": 500}, timeout=5).ok
    assert requests.get(control + "faults", timeout=5).json()[0]["status"] == 500
    assert requests.post(sb.service_url + "/api_v3/service/apptoken/action/get", timeout=5).status_code == 500
    requests.delete(control + "faults", timeout=5)
    assert requests.get(control + "faults", timeout=5).json() == []
    log = requests.get(control + "requests", timeout=5).json()
    assert log[-1]["calls"] == ["apptoken.get"]
    partner = requests.post(control + "partners", json={"partner_id": 31337}, timeout=5).json()
    assert partner["id"] == 31337 and len(partner["admin_secret"]) == 32
    requests.post(control + "reset", timeout=5)
    assert requests.get(control + "requests", timeout=5).json() == []


def test_state_file_survives_a_restart(tmp_path):
    path = str(tmp_path / "state.json")
    with Sandbox(partner_id=2222, state_file=path) as first:
        client = make_client(first, make_client(first).generateSessionV2(
            first.admin_secret, "", 2, 2222, 60, "").decode())
        token = client.appToken.add(KalturaAppToken())
        secret = first.admin_secret
    with Sandbox(partner_id=2222, state_file=path) as second:
        assert second.admin_secret == secret
        assert [t["id"] for t in second.tokens()] == [token.id]
    with open(path, encoding="utf-8") as fh:
        assert json.load(fh)["tokens"][token.id]["token"] == token.token


def test_concurrent_adds_are_all_kept(sb, admin):
    import threading
    ks = admin.getKs()
    errors: list[Exception] = []

    def worker() -> None:
        try:
            make_client(sb, ks).appToken.add(KalturaAppToken())
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
    threads = [threading.Thread(target=worker) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len({t["id"] for t in sb.tokens()}) == 20


def test_command_line_prints_one_json_line_and_stops_on_sigint():
    started = time.time()
    proc = subprocess.Popen([sys.executable, "-m", "kaltura_sandbox", "--partner-id", "4321",
                             "--admin-secret", "a" * 32], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        line = json.loads(proc.stdout.readline())
        assert time.time() - started < 1.0
        assert set(line) == {"service_url", "partner_id", "admin_secret", "secret"}
        assert line["partner_id"] == 4321 and line["admin_secret"] == "a" * 32
        assert len(line["secret"]) == 32 and line["service_url"].startswith("http://127.0.0.1:")
        r = requests.post(line["service_url"] + "/api_v3/service/session/action/startWidgetSession",
                          data={"widgetId": "_4321"}, timeout=5)
        assert "<ks>" in r.text
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=5) == 0
        proc.stdout.close()
