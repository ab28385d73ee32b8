"""create_token.py --users: request budget, resume, failing users, CSV input checks."""
from __future__ import annotations

import csv
import io
import json
import math
import os
import stat

import pytest


def write_csv(tmp_path, text: str, name: str = "users.csv", encoding: str = "utf-8") -> str:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


def users_csv(tmp_path, count: int, prefix: str = "instructor") -> str:
    return write_csv(tmp_path, "user_id,description\n" + "".join(f"{prefix}{i}@example.edu,Room {i}\n"
                                                                  for i in range(count)))


def test_120_users_within_the_request_budget(sb, write_settings, run, tmp_path):
    write_settings()
    for i in range(120):
        sb.add_user(f"instructor{i}@example.edu")
    save = tmp_path / "out.json"
    sb.clear_requests()
    code, out, err = run("create_token", "--users", users_csv(tmp_path, 120), "--save", str(save))
    assert code == 0, err
    assert len(sb.requests) <= 2 + 2 * math.ceil(120 / 50)
    assert len(sb.requests) == 1 + 3 + 3
    assert max(len(r["calls"]) for r in sb.requests if "apptoken.add" in r["calls"]) == 50
    tokens = {t["sessionUserId"]: t for t in sb.tokens()}
    assert len(tokens) == 120
    records = json.loads(save.read_text())
    assert stat.S_IMODE(os.stat(save).st_mode) == 0o600
    assert [r["user_id"] for r in records] == [f"instructor{i}@example.edu" for i in range(120)]
    first = records[0]
    assert first["token"] == tokens[first["user_id"]]["token"] and first["expiry"] == tokens[first["user_id"]]["expiry"]
    assert tokens["instructor7@example.edu"]["description"].startswith("Room 7 (for instructor7@example.edu, ")
    assert tokens["instructor7@example.edu"]["sessionPrivileges"] == "setrole:PLAYBACK_BASE_ROLE,privacycontext:mediaspace"
    assert "120 created, 0 skipped, 0 failed" in out and "created 100/120 tokens" in err


def test_rerun_creates_nothing_and_says_how_many_it_skipped(sb, write_settings, run, tmp_path):
    write_settings()
    users = users_csv(tmp_path, 60)
    save = str(tmp_path / "out.csv")
    assert run("create_token", "--users", users, "--save", save, "--create-user")[0] == 0
    before = {t["id"] for t in sb.tokens()}
    sb.clear_requests()
    code, out, err = run("create_token", "--users", users, "--save", save)
    assert code == 0 and "skipped 60 users who already have a token from this batch" in err
    assert {t["id"] for t in sb.tokens()} == before
    assert not any("apptoken.add" in r["calls"] for r in sb.requests)
    rows = list(csv.DictReader(io.StringIO((tmp_path / "out.csv").read_text(encoding="utf-8"))))
    assert len(rows) == 60 and {r["id"] for r in rows} == before


def test_results_file_lost_a_rerun_rebuilds_it_from_the_server(sb, write_settings, run, tmp_path):
    write_settings()
    users = users_csv(tmp_path, 70)
    save = tmp_path / "out.json"
    assert run("create_token", "--users", users, "--save", str(save), "--create-user")[0] == 0
    made = {t["id"] for t in sb.tokens()}
    save.unlink()
    code, out, err = run("create_token", "--users", users, "--save", str(save))
    assert code == 0 and "skipped 70 users" in err
    assert {r["id"] for r in json.loads(save.read_text())} == made and {t["id"] for t in sb.tokens()} == made


def test_a_failing_user_in_the_middle_does_not_stop_the_others(sb, write_settings, run, tmp_path):
    write_settings()
    users = users_csv(tmp_path, 10)
    save = tmp_path / "out.json"
    sb.faults.add("apptoken.add", error="INTERNAL_DATABASE_ERROR", when="instructor4@example.edu")
    code, out, err = run("create_token", "--users", users, "--save", str(save), "--create-user")
    assert code == 1
    assert "error: user instructor4@example.edu: the Kaltura server refused appToken.add: Internal database " \
           "error [INTERNAL_DATABASE_ERROR]" in err
    assert "9 created, 0 skipped, 1 failed" in out
    assert len(sb.tokens()) == 9 and len(json.loads(save.read_text())) == 9
    sb.faults.clear()
    code, out, err = run("create_token", "--users", users, "--save", str(save), "--create-user")
    assert code == 0 and "1 created, 9 skipped, 0 failed" in out
    assert [r["user_id"] for r in json.loads(save.read_text())] == [f"instructor{i}@example.edu" for i in range(10)]
    assert len(sb.tokens()) == 10


def test_unknown_users_refused_unless_create_user(sb, write_settings, run, tmp_path):
    write_settings()
    sb.add_user("instructor0@example.edu")
    users = users_csv(tmp_path, 3)
    code, out, err = run("create_token", "--users", users, "--save", str(tmp_path / "o.json"))
    assert code == 2 and "2 users do not exist on partner" in err and "instructor1@example.edu" in err
    assert sb.tokens() == []


def test_dry_run_checks_and_creates_nothing(sb, write_settings, run, tmp_path):
    write_settings()
    sb.add_user("instructor0@example.edu")
    code, out, err = run("create_token", "--users", users_csv(tmp_path, 3), "--save", str(tmp_path / "o.json"),
                         "--dry-run")
    assert code == 0 and "Would create 3 tokens (dry run, nothing sent)" in out and "2 users do not exist" in out
    assert sb.tokens() == [] and not (tmp_path / "o.json").exists()


def test_lost_answer_for_a_chunk_is_recovered_once_per_user(sb, write_settings, run, tmp_path):
    write_settings(request_timeout=1)
    sb.faults.add("apptoken.add", drop=True, times=1)
    code, out, err = run("create_token", "--users", users_csv(tmp_path, 60), "--save", str(tmp_path / "o.json"),
                         "--create-user")
    assert code == 0, err
    assert len(sb.tokens()) == 60 and len({t["sessionUserId"] for t in sb.tokens()}) == 60
    assert err.count("recovered") == 50


@pytest.mark.parametrize("text,message", [
    ("", "is empty; it needs a header line with user_id"),
    ("name,email\nx,y\n", "has no user_id column"),
    ("user_id\n", "names no users"),
    ("user_id\nalice\nbob\nalice\n", "line 4: user_id 'alice' is already on line 2"),
    ("user_id\nhas space\n", "line 2: user_id 'has space' is not a user id Kaltura accepts"),
    ("user_id\nélodie\n", "line 2: user_id 'élodie' is not a user id Kaltura accepts"),
    ("user_id,description\n,empty\n", "line 2: user_id is empty"),
], ids=["empty", "no-header", "no-users", "duplicate", "space", "non-ascii", "empty-id"])
def test_bad_csv_exits_2_and_sends_nothing(sb, write_settings, run, tmp_path, text, message):
    write_settings()
    code, out, err = run("create_token", "--users", write_csv(tmp_path, text), "--save", str(tmp_path / "o.json"))
    assert code == 2 and message in err and sb.requests == []


def test_bom_crlf_blank_lines_and_spaces_are_fine(sb, write_settings, run, tmp_path):
    write_settings()
    path = write_csv(tmp_path, "\ufeffUser_ID , Description\r\n\r\n alice , First \r\nbob,\r\n\r\n", "excel.csv")
    code, out, err = run("create_token", "--users", path, "--save", str(tmp_path / "o.json"), "--create-user")
    assert code == 0, err
    assert {t["sessionUserId"] for t in sb.tokens()} == {"alice", "bob"}


def test_save_is_required_and_must_be_json_or_csv(sb, write_settings, run, tmp_path):
    write_settings()
    users = users_csv(tmp_path, 1)
    assert run("create_token", "--users", users)[0] == 2
    code, out, err = run("create_token", "--users", users, "--save", str(tmp_path / "o.txt"))
    assert code == 2 and "must end in .json or .csv" in err
    other = tmp_path / "other.json"
    other.write_text('{"not": "a batch"}')
    code, out, err = run("create_token", "--users", users, "--save", str(other))
    assert code == 2 and "is not the results file of a batch" in err and sb.requests == []
