"""The README keeps up with the code: every script documented, --help works, two Quick start commands."""
from __future__ import annotations

import re

import pytest
from conftest import ROOT

SCRIPTS = ["create_token", "getroleid", "list_tokens", "update_token", "rotate_token", "revoke_token",
           "start_session", "check_ks", "audit_tokens"]
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("script", SCRIPTS)
def test_each_script_has_help_and_a_readme_section(script, run):
    with pytest.raises(SystemExit) as info:
        run(script, "--help")
    assert info.value.code == 0
    assert f"### {script}.py" in README
    assert f"| `{script}.py` |" in README


def test_quick_start_is_exactly_two_commands():
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    commands = [line for line in block.splitlines() if line.strip()]
    assert len(commands) == 2
    assert "create_token.py --sandbox" in commands[0] and "pytest" in commands[1]
    assert commands[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8").replace(
        " --disable-pip-version-check", "")


def test_every_settings_key_is_in_the_readme_and_the_example():
    from kaltura_app_token.config import KEYS
    example = (ROOT / "settings.example.py").read_text(encoding="utf-8")
    for key in KEYS:
        assert f"| `{key}` |" in README, key
        assert re.search(rf"^{key} = ", example, re.M), key
