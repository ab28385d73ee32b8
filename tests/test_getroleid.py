"""getroleid.py: partial match over every role, paging, JSON, no match."""
from __future__ import annotations

import json


def test_partial_match_over_name_system_name_and_description(sb, write_settings, run):
    write_settings()
    sb.add_role("Lecture Capture Integration", "CONTENT_INGEST_UPLOAD", system_name="LC_INTEGRATION",
                description="for the recorders in every room")
    code, out, err = run("getroleid", "CAPTURE")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["id", "name", "system", "name", "status", "scope", "permissions"]
    assert any(line.startswith("11 ") and "Capture device role" in line and "system" in line for line in lines)
    assert any("Lecture Capture Integration" in line and "partner" in line for line in lines)
    code, out, err = run("getroleid", "RECORDERS", "--json")
    found = json.loads(out)
    assert [r["name"] for r in found] == ["Lecture Capture Integration"]
    assert isinstance(found[0]["id"], int) and found[0]["system"] is False and found[0]["status"] == "ACTIVE"
    assert found[0]["partnerId"] == sb.partner_id and found[0]["permissionNames"] == "CONTENT_INGEST_UPLOAD"


def test_role_name_from_settings_or_usage(sb, write_settings, run):
    write_settings(role_name="publisher")
    code, out, err = run("getroleid", "--json")
    assert [r["systemName"] for r in json.loads(out)] == ["PARTNER_ADMIN_ROLE"]
    write_settings(role_name="")
    code, out, err = run("getroleid")
    assert code == 2 and "give part of a role name" in err
    assert len(sb.requests) == 1  # the second run sent nothing


def test_no_match_says_so_and_names_some_roles(sb, write_settings, run):
    write_settings()
    code, out, err = run("getroleid", "zzzz")
    assert code == 0 and out == ""
    assert "no role matches 'zzzz' among 27 roles" in err and "Publisher Administrator" in err


def test_more_than_500_roles_in_two_requests(sb, write_settings, run):
    write_settings()
    for i in range(1200):
        sb.state.insert_role({"name": f"Course role {i}", "systemName": "", "description": "", "status": 1,
                              "partnerId": sb.partner_id, "permissionNames": "", "tags": "",
                              "createdAt": 0, "updatedAt": 0})
    code, out, err = run("getroleid", "course role 11", "--json")
    assert code == 0
    names = {r["name"] for r in json.loads(out)}
    assert names == {"Course role 11"} | {f"Course role 11{i}" for i in range(10)} | \
        {f"Course role 11{i}{j}" for i in range(10) for j in range(10) if int(f"11{i}{j}") < 1200}
    assert [r["calls"] for r in sb.requests] == [["userrole.list"], ["userrole.list", "userrole.list"]]
