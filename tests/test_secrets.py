"""The admin secret and the admin KS never reach stdout, stderr, --debug output or files."""
from __future__ import annotations

import json

from conftest import add_tokens


def scripts_runs(sb, admin, tmp_path):
    token = add_tokens(admin, 1, hashType="SHA256")[0]
    bundle = tmp_path / "b.json"
    bundle.write_text(json.dumps({"id": token.id, "token": token.token, "partnerId": sb.partner_id,
                                  "serviceUrl": sb.service_url, "hashType": "SHA256"}))
    bundle.chmod(0o600)
    return token, [
        ("create_token", "--save", str(tmp_path / "new.json")),
        ("create_token", "--dry-run", "--json"),
        ("getroleid", "capture", "--json"),
        ("list_tokens",), ("list_tokens", token.id, "--json"),
        ("update_token", token.id, "--description", "changed"),
        ("rotate_token", token.id, "--json"),
        ("check_ks", "djJ8bm90IGEga3M="),
        ("start_session", "--bundle", str(bundle)),
        ("revoke_token", token.id, "--yes"),
    ]


def test_no_secret_in_any_output_or_file_with_debug(sb, admin, write_settings, run, tmp_path):
    write_settings()
    token, runs = scripts_runs(sb, admin, tmp_path)
    for script, *argv in runs:
        code, out, err = run(script, *argv, "--debug")
        text = out + err
        assert sb.admin_secret not in text, script
        visible = text.replace(out, "") if script == "start_session" else text  # its KS on stdout is the point
        assert "djJ8" not in visible.replace("djJ8bm90IGEga3M=", ""), (script, text)
    for file in tmp_path.iterdir():
        if file.is_file() and file.suffix == ".json":
            assert sb.admin_secret not in file.read_text()


def test_errors_with_debug_tracebacks_are_scrubbed(sb, write_settings, run):
    write_settings(admin_secret="0" * 32)
    code, out, err = run("list_tokens", "--debug")
    assert code == 1 and "Traceback" in err  # --debug shows it ...
    assert "djJ8" not in err and "0" * 32 not in err  # ... without the KS (INVALID_KS quotes it) or the secret


def test_the_client_is_never_given_a_logger(sb, write_settings):
    from kaltura_app_token.client import Api, Target
    api = Api(Target(sb.service_url, sb.partner_id, admin_secret=sb.admin_secret))
    assert api.client.shouldLog is False and api.client.config.getLogger() is None


def test_token_values_masked_in_listings(sb, admin, write_settings, run):
    write_settings()
    token = add_tokens(admin, 1)[0]
    for argv in ((), ("--json",), ("--csv",), (token.id,), (token.id, "--json")):
        code, out, err = run("list_tokens", *argv)
        assert token.token not in out + err
        assert argv == () or token.token[:4] + "…" in out
