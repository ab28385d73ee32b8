"""One error family; every message is a sentence that says what to change.

ToolError
 ├── UsageError        exit 2: bad settings, arguments or input; nothing was sent
 │    └── SettingsError   several problems at once, one per line
 ├── ServerError       exit 1: the Kaltura server refused (carries the Kaltura code)
 ├── Unreachable       exit 1: no answer (refused, DNS, TLS, timeout)
 └── BadAnswer         exit 1: an answer that is not Kaltura XML
"""
from __future__ import annotations

import threading

_secrets: set[str] = set()
_lock = threading.Lock()


def register_secret(value: str | None) -> None:
    """Remember a value that must never be shown (admin secret, admin KS)."""
    if value and len(value) >= 8:
        with _lock:
            _secrets.add(value)


def scrub(text: str) -> str:
    """Replace every registered secret in text; longest first so a KS hides whole."""
    with _lock:
        values = sorted(_secrets, key=len, reverse=True)
    for value in values:
        text = text.replace(value, "[hidden]")
    return text


class ToolError(Exception):
    exit_code = 1

    def __init__(self, message: str, code: str | None = None) -> None:
        self.code = code
        super().__init__(scrub(message))

    def __str__(self) -> str:
        text = super().__str__()
        return f"{text} [{self.code}]" if self.code else text


class UsageError(ToolError):
    exit_code = 2


class SettingsError(UsageError):
    def __init__(self, problems: list[str], source: str | None = None) -> None:
        self.problems = [scrub(p) for p in problems]
        head = f"{source}: {len(problems)} problem{'s' if len(problems) != 1 else ''}:" if source else ""
        body = "\n".join(f"  - {p}" for p in self.problems) if head else "\n".join(self.problems)
        super().__init__(f"{head}\n{body}" if head else body)


class ServerError(ToolError):
    """The server answered with a KalturaAPIException; `reason` tells INVALID_KS cases apart."""

    reason: str | None = None


class Unreachable(ToolError):
    """`sent` is False when the request certainly never reached the server (refused, DNS, TLS)."""

    def __init__(self, message: str, sent: bool = True) -> None:
        self.sent = sent
        super().__init__(message)


class BadAnswer(ToolError):
    pass


class Interrupted(ToolError):
    exit_code = 130
