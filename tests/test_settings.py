"""Every setting is checked before anything is sent: exit 2, the key named, zero requests."""
from __future__ import annotations

import pytest
from conftest import MISSING

BAD = [
    ({"partner_id": "abc"}, "partner_id must be a whole number, not str 'abc'"),
    ({"partner_id": True}, "partner_id must be a whole number, not bool True"),
    ({"partner_id": 12.5}, "partner_id must be a whole number, not float 12.5"),
    ({"partner_id": MISSING}, "partner_id is missing"),
    ({"admin_secret": ""}, "admin_secret is empty; set it in settings.py or KALTURA_ADMIN_SECRET"),
    ({"admin_secret": "'" + "a" * 32 + "'"}, "admin_secret has quote marks inside the value"),
    ({"admin_secret": "short"}, "admin_secret should be the 32 hexadecimal characters"),
    ({"admin_secret": 12345}, "admin_secret must be text in quotes, not int"),
    ({"service_url": "https://www.kaltura.com/api_v3"}, "ends with /api_v3; the client adds it"),
    ({"service_url": "http://www.kaltura.com"}, "uses plain http:// to a host that is not this computer"),
    ({"service_url": "www.kaltura.com"}, "must start with https:// and name a host"),
    ({"service_url": "https://user:pw@www.kaltura.com"}, "holds a user name or password"),
    ({"service_url": "https://www.kaltura.com/some/path"}, "has a path; give only the host"),
    ({"token_expiry": MISSING}, "token_expiry is missing"),
    ({"token_expiry": "2001-01-01"}, "token_expiry '2001-01-01' is in the past"),
    ({"token_expiry": 86400}, "token_expiry 86400 is in the past (1970-01-02 00:00 UTC)"),
    ({"token_expiry": "next tuesday"}, "token_expiry 'next tuesday' is not an expiry"),
    ({"token_expiry": "99999d"}, "is more than 10 years away"),
    ({"token_expiry": 1.5}, "token_expiry 1.5 is not an expiry"),
    ({"privacy_context": "a,b"}, "the token would get context 'a' and a stray privilege 'b'"),
    ({"privacy_context": "ctx:setrole"}, "privacy_context 'ctx:setrole' holds a colon"),
    ({"privacy_context": "ctx,disableentitlement"}, "stray privilege 'disableentitlement'"),
    ({"role_id": "7,disableentitlement"}, "role_id '7,disableentitlement' holds a comma"),
    ({"role_id": 3.5}, "role_id must be a role id (a number) or a role system name"),
    ({"extra_privileges": "setrole:2"}, "'setrole' belongs in the role_id setting"),
    ({"extra_privileges": "privacycontext:x"}, "'privacycontext' belongs in the privacy_context setting"),
    ({"extra_privileges": "sessionid:x"}, "'sessionid' is set by the server on every session"),
    ({"extra_privileges": "BASE_USER_SESSION_PERMISSION"}, "looks like a role permission name, not a KS privilege"),
    ({"extra_privileges": "nosuchpriv"}, "'nosuchpriv' is not a privilege the server knows"),
    ({"extra_privileges": "list:*, sview:*"}, "has white space or no name"),
    ({"extra_privileges": "enableentitlement,disableentitlement"}, "the server lets enable win"),
    ({"extra_privileges": "disableentitlement"}, "the context would not limit anything"),
    ({"apptoken_user": "has space"}, "apptoken_user 'has space' is not a user id Kaltura accepts"),
    ({"apptoken_user": "é"}, "apptoken_user 'é' is not a user id Kaltura accepts"),
    ({"apptoken_user": "x" * 321}, "is not a user id Kaltura accepts"),
    ({"hash_type": "sha3"}, "hash_type must be one of MD5, SHA1, SHA256, SHA512, not 'sha3'"),
    ({"session_type": "SUPER"}, "session_type must be one of USER, ADMIN, not 'SUPER'"),
    ({"session_type": 1}, "session_type must be one of USER, ADMIN, not 1"),
    ({"session_duration": 0}, "session_duration must be at least 1, not 0"),
    ({"session_duration": "1d"}, "session_duration must be a whole number, not str '1d'"),
    ({"request_timeout": 0}, "request_timeout must be a number of seconds between 1 and 300"),
    ({"request_timeout": True}, "request_timeout must be a number of seconds between 1 and 300"),
    ({"admin_session": "cloud"}, "admin_session must be one of LOCAL, SERVER, not 'cloud'"),
    ({"description": 5}, "description must be text in quotes, not int"),
    ({"userId": "admin user"}, "userId 'admin user' is not a user id Kaltura accepts"),
]


@pytest.mark.parametrize("overrides,message", BAD, ids=[m[:40] for _, m in BAD])
def test_bad_setting_exits_2_names_the_key_and_sends_nothing(sb, write_settings, run, overrides, message):
    write_settings(**overrides)
    code, out, err = run("create_token")
    assert code == 2
    assert message in err
    assert "Traceback" not in err and out == ""
    assert sb.requests == []


def test_all_problems_are_reported_at_once(sb, write_settings, run, tmp_path):
    write_settings(partner_id="x", hash_type="md4", token_expiry="yesterday")
    code, out, err = run("create_token")
    assert code == 2
    assert err.startswith(f"error: {tmp_path / 'settings.py'}: 3 problems:\n")
    assert "partner_id" in err and "hash_type" in err and "token_expiry" in err


def test_missing_settings_file_says_to_copy_the_example(sb, run):
    code, out, err = run("create_token")
    assert code == 2 and "copy settings.example.py to settings.py" in err


def test_syntax_error_names_file_and_line(sb, write_settings, run, tmp_path):
    write_settings(raw="partner_id = 1\nadmin_secret = 'abc\n")
    code, out, err = run("create_token")
    assert code == 2 and f"{tmp_path / 'settings.py'} line 2:" in err and "Traceback" not in err


def test_settings_flag_and_env_locate_the_file(sb, write_settings, run, tmp_path, monkeypatch):
    path = write_settings(role_id="", privacy_context="")
    other = tmp_path / "elsewhere.py"
    path.rename(other)
    assert run("create_token", "--settings", str(other))[0] == 0
    monkeypatch.setenv("KALTURA_SETTINGS", str(other))
    assert run("create_token")[0] == 0
    assert len(sb.tokens()) == 2


def test_env_admin_secret_wins_and_is_stripped(sb, write_settings, run, monkeypatch):
    write_settings(admin_secret="0" * 32, role_id="", privacy_context="")
    monkeypatch.setenv("KALTURA_ADMIN_SECRET", f"  {sb.admin_secret}\n")
    assert run("create_token")[0] == 0


def test_readable_settings_file_is_warned(sb, write_settings, run):
    path = write_settings(role_id="", privacy_context="")
    path.chmod(0o644)
    code, out, err = run("create_token")
    assert code == 0 and "can be read by other users of this computer" in err and "chmod 600" in err


def test_unknown_key_is_warned_with_a_suggestion(sb, write_settings, run):
    write_settings(rol_id="5", role_id="", privacy_context="")
    code, out, err = run("create_token")
    assert code == 0 and "settings key 'rol_id' is not one this tool reads; did you mean 'role_id'?" in err


def test_no_secret_flag_exists(sb, write_settings, run):
    write_settings()
    with pytest.raises(SystemExit) as info:
        run("create_token", "--admin-secret", "x")
    assert info.value.code == 2


def test_expiry_forms(sb, write_settings, run):
    import datetime as dt
    import time
    for value, expected in (("2030-06-30", dt.datetime(2030, 6, 30, 23, 59, 59, tzinfo=dt.timezone.utc)),
                            ("2030-06-30T17:00:00Z", dt.datetime(2030, 6, 30, 17, tzinfo=dt.timezone.utc)),
                            ("2030-06-30T17:00:00+02:00", dt.datetime(2030, 6, 30, 15, tzinfo=dt.timezone.utc))):
        sb.reset()
        write_settings(token_expiry=value, role_id="", privacy_context="")
        assert run("create_token")[0] == 0
        assert sb.tokens()[0]["expiry"] == int(expected.timestamp())
    for value, seconds in (("12h", 12 * 3600), ("30m", 1800), ("2w", 14 * 86400)):
        sb.reset()
        write_settings(token_expiry=value, role_id="", privacy_context="")
        assert run("create_token")[0] == 0
        assert abs(sb.tokens()[0]["expiry"] - time.time() - seconds) < 5


def test_empty_secret_without_a_terminal_is_refused(sb, write_settings, run, monkeypatch):
    import io
    write_settings(admin_secret="")
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    code, out, err = run("create_token")
    assert code == 2 and "admin_secret is empty" in err
