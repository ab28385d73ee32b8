"""Fixtures: one sandbox per test session, reset before each test; a clean environment."""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, Callable

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from KalturaClient import KalturaClient, KalturaConfiguration  # noqa: E402
from KalturaClient.Plugins.Core import KalturaSessionType  # noqa: E402

from kaltura_sandbox import Sandbox  # noqa: E402


@pytest.fixture(scope="session")
def sandbox_server() -> Sandbox:
    with Sandbox(partner_id=1234567) as sb:
        yield sb


@pytest.fixture
def sb(sandbox_server: Sandbox) -> Sandbox:
    sandbox_server.reset()
    yield sandbox_server
    sandbox_server.faults.clear()


@pytest.fixture(autouse=True)
def clean_environ(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No real KALTURA_* variable or settings file can reach a test."""
    for name in list(os.environ):
        if name.startswith("KALTURA_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


def make_client(sb: Sandbox, ks: str | None = None) -> KalturaClient:
    config = KalturaConfiguration()
    config.serviceUrl = sb.service_url
    client = KalturaClient(config)
    if ks:
        client.setKs(ks)
    return client


def admin_ks(sb: Sandbox, privileges: str = "", user_id: str = "admin", expiry: int = 3600) -> str:
    return KalturaClient.generateSessionV2(sb.admin_secret, user_id, KalturaSessionType.ADMIN, sb.partner_id,
                                           expiry, privileges).decode()


@pytest.fixture
def admin(sb: Sandbox) -> KalturaClient:
    return make_client(sb, admin_ks(sb))


@pytest.fixture
def raises_kaltura() -> Callable[..., Any]:
    """Assert a call raises KalturaException with this code and exact message."""
    from KalturaClient.exceptions import KalturaException

    def check(code: str, message: str | None, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        with pytest.raises(KalturaException) as info:
            fn(*args, **kwargs)
        assert info.value.code == code
        if message is not None:
            assert info.value.message == message
        return info.value
    return check


MISSING = object()


@pytest.fixture
def write_settings(sb: Sandbox, tmp_path: Path) -> Callable[..., Path]:
    """settings.py in the test's folder (also the cwd), pointing at the sandbox; keyword overrides."""
    def write(raw: str | None = None, **overrides: Any) -> Path:
        values: dict[str, Any] = {
            "partner_id": sb.partner_id, "admin_secret": sb.admin_secret, "service_url": sb.service_url,
            "userId": "admin@example.edu", "role_id": "PLAYBACK_BASE_ROLE", "role_name": "",
            "privacy_context": "mediaspace", "token_expiry": "30d", "apptoken_user": "", "hash_type": "SHA256",
            "session_type": "USER", "session_duration": 86400, "description": "Vendor integration",
            "extra_privileges": "", "request_timeout": 5, "admin_session": "local"}
        values.update(overrides)
        path = tmp_path / "settings.py"
        text = raw if raw is not None else "".join(
            f"{k} = {v!r}\n" for k, v in values.items() if v is not MISSING)
        path.write_text(text, encoding="utf-8")
        path.chmod(0o600)
        return path
    return write


@pytest.fixture
def run(capsys: pytest.CaptureFixture) -> Callable[..., tuple[int, str, str]]:
    """Run a script's main(argv) in-process: (exit code, stdout, stderr)."""
    import importlib

    def runner(script: str, *argv: str) -> tuple[int, str, str]:
        module = importlib.import_module(script)
        capsys.readouterr()
        code = module.main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err
    return runner


def add_tokens(admin: KalturaClient, count: int, **fields: Any) -> list[Any]:
    """Tokens made through the API, 100 per multirequest."""
    from KalturaClient.Plugins.Core import KalturaAppToken
    made: list[Any] = []
    while len(made) < count:
        admin.startMultiRequest()
        for _ in range(min(100, count - len(made))):
            token = KalturaAppToken()
            for name, value in fields.items():
                setattr(token, name, value)
            admin.appToken.add(token)
        made.extend(admin.doMultiRequest())
    return made
