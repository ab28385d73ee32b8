"""Fault injection: make chosen calls slow, failing, garbled or lost, for reliability tests."""
from __future__ import annotations

import json
import threading
from dataclasses import asdict, dataclass
from typing import Any

HTML_ERROR_PAGE = (b"<html><head><title>503 Service Temporarily Unavailable</title></head><body>"
                   b"<center><h1>503 Service Temporarily Unavailable</h1></center><hr><center>nginx</center>"
                   b"</body></html>")


@dataclass
class Fault:
    """What to do to requests holding a call to `action` (`service.action`, or `*`).

    delay: seconds to wait before the call runs (a slow server still commits).
    status: answer this HTTP status with an HTML page instead of the result.
    body: answer these bytes instead of the result; truncate: answer half of the real result.
    drop: close the connection without answering.
    commit: whether the call runs before the fault answers (a lost answer after commit).
    redirect: answer 302 to this URL.
    error: the call (only it, also inside a multirequest) fails with this Kaltura error code, when
        its parameters contain the text `when` (any call if `when` is empty).
    times: apply this many times, then stop (None: always).
    """
    action: str
    delay: float = 0.0
    status: int | None = None
    body: bytes | None = None
    truncate: bool = False
    drop: bool = False
    commit: bool = True
    redirect: str | None = None
    error: str | None = None
    when: str = ""
    times: int | None = None

    @property
    def answers(self) -> bool:
        return bool(self.status or self.body is not None or self.truncate or self.drop or self.redirect)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["body"] = self.body.decode("latin-1") if self.body is not None else None
        return data


class Faults:
    """The faults in force; thread-safe; the first matching fault applies."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def add(self, action: str, **options: Any) -> Fault:
        if isinstance(options.get("body"), str):
            options["body"] = options["body"].encode("latin-1")
        fault = Fault(action.lower(), **options)
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def api_error(self, call: str, params: dict[str, Any]) -> str | None:
        """The Kaltura error code one call should fail with, if an `error` fault matches it."""
        text = json.dumps(params, sort_keys=True)
        with self._lock:
            for fault in self._faults:
                if fault.error and fault.action in ("*", call) and fault.when in text:
                    if fault.times is not None:
                        if fault.times <= 0:
                            continue
                        fault.times -= 1
                    return fault.error
        return None

    def take(self, calls: list[str]) -> Fault | None:
        """The HTTP-level fault for a request with these calls, counting one use of it."""
        with self._lock:
            for fault in self._faults:
                if fault.error:
                    continue
                if fault.action == "*" or fault.action in calls:
                    if fault.times is not None:
                        if fault.times <= 0:
                            continue
                        fault.times -= 1
                    return fault
        return None

    def __iter__(self):
        with self._lock:
            return iter(list(self._faults))
