"""The HTTP side: request parsing (§1.1), responses, the request log, the control endpoint."""
from __future__ import annotations

import json
import re
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from . import clock
from .dispatcher import call, call_names, group_params, multirequest
from .errors import APIError
from .faults import HTML_ERROR_PAGE, Faults
from .serializer import json_document, xml_document, xml_value
from .state import State

CONTROL_PREFIX = "/__sandbox__/"
_BRACKETS = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])+)$")


def parse_form(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """PHP's own parsing of `a[b][c]=v` into nested arrays."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        match = _BRACKETS.match(key)
        if not match:
            out[key] = value
            continue
        path = [match.group(1)] + re.findall(r"\[([^\[\]]*)\]", match.group(2))
        target = out
        for part in path[:-1]:
            if not isinstance(target.get(part), dict):
                target[part] = {}
            target = target[part]
        target[path[-1]] = value
    return out


def path_params(path: str) -> dict[str, str]:
    """`/api_v3/service/S/action/A` (or after index.php): alternating key/value segments."""
    rest = path.split("/api_v3", 1)[1] if "/api_v3" in path else path
    rest = rest.split("index.php", 1)[1] if "index.php" in rest else rest
    parts = [urllib.parse.unquote(p) for p in rest.split("/") if p]
    return {parts[i]: parts[i + 1] if i + 1 < len(parts) else "" for i in range(0, len(parts), 2)}


def request_params(path: str, query: str, content_type: str, body: bytes) -> dict[str, Any]:
    """Body, then URL (query and path); the URL wins."""
    params: dict[str, Any] = {}
    text = body.decode("utf-8", "replace")
    if content_type.lower() == "application/json":
        stripped = text.strip()
        if stripped.startswith("{") and stripped.endswith("}"):
            try:
                decoded = json.loads(stripped)
            except ValueError:
                decoded = None
            if decoded:
                params.update(decoded)
    elif content_type.lower().startswith("application/x-www-form-urlencoded"):
        params.update(parse_form(urllib.parse.parse_qsl(text, keep_blank_values=True)))
    params.update(parse_form(urllib.parse.parse_qsl(query, keep_blank_values=True)))
    params.update(path_params(path))
    return group_params(params)


class Handler(BaseHTTPRequestHandler):
    server: "SandboxHTTPServer"
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the request log is the record."""

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def do_DELETE(self) -> None:
        self._handle()

    def _send(self, status: int, body: bytes, content_type: str = "text/xml",
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _handle(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if url.path.startswith(CONTROL_PREFIX):
            self._control(url.path[len(CONTROL_PREFIX):], body)
            return
        started = time.time()
        params = request_params(url.path, url.query, self.headers.get("Content-Type", ""), body)
        sandbox = self.server.sandbox
        calls = call_names(params)
        sandbox.log_request(self.command, self.path, calls)
        if sandbox.latency:
            time.sleep(sandbox.latency)
        fault = sandbox.faults.take(calls)
        if fault and fault.delay:
            time.sleep(fault.delay)
        if fault and fault.answers and not fault.commit:
            self._fault_answer(fault, b"")
            return
        payload, headers = self._run(params, url, started)
        if fault and fault.answers:
            self._fault_answer(fault, payload)
            return
        self._send(200, payload, "application/json" if params.get("format") == "1" else "text/xml", headers)

    def _run(self, params: dict[str, Any], url: urllib.parse.SplitResult, started: float
             ) -> tuple[bytes, dict[str, str]]:
        state = self.server.sandbox.state
        uri = url.path + ("?" + url.query if url.query else "")
        ip = self.client_address[0]
        fmt = str(params.get("format", "2") or "2")
        hook = self.server.sandbox.faults.api_error
        if str(params.get("service", "")).lower() == "multirequest":
            result: Any = multirequest(state, params, uri, ip, hook)
        else:
            result = call(state, params, uri, ip, hook)
        headers = {}
        if isinstance(result, APIError) and result.code == "SERVICE_FORBIDDEN":
            headers["X-Kaltura"] = "error-SERVICE_FORBIDDEN"
        if fmt == "1":
            return json_document(result), headers
        if fmt != "2":
            result = APIError("UNKNOWN_RESPONSE_FORMAT", fmt)
        ignore_null = str(params.get("ignoreNull", "")) == "1"
        inner = xml_value(result, ignore_null)
        return xml_document(inner, time.time() - started), headers

    def _fault_answer(self, fault: Any, payload: bytes) -> None:
        if fault.drop:
            self.close_connection = True
            self.connection.shutdown(2)
            return
        if fault.redirect:
            self._send(302, b"", "text/html", {"Location": fault.redirect})
        elif fault.status:
            self._send(fault.status, HTML_ERROR_PAGE, "text/html")
        elif fault.body is not None:
            self._send(200, fault.body, "text/xml")
        else:
            self._send(200, payload[:len(payload) // 2], "text/xml")

    def _control(self, what: str, body: bytes) -> None:
        """The sandbox's own endpoint: faults, the request log, reset, partners."""
        sandbox = self.server.sandbox
        data = json.loads(body or b"{}")
        if what == "faults" and self.command == "POST":
            answer: Any = sandbox.faults.add(data.pop("action"), **data).to_json()
        elif what == "faults" and self.command == "DELETE":
            sandbox.faults.clear()
            answer = {}
        elif what == "faults":
            answer = [f.to_json() for f in sandbox.faults]
        elif what == "requests" and self.command == "DELETE":
            sandbox.clear_requests()
            answer = {}
        elif what == "requests":
            answer = sandbox.requests
        elif what == "reset" and self.command == "POST":
            sandbox.reset()
            answer = {}
        elif what == "partners" and self.command == "POST":
            answer = sandbox.add_partner(**data)
        elif what == "latency" and self.command == "POST":
            sandbox.latency = float(data.get("seconds", 0))
            answer = {"seconds": sandbox.latency}
        else:
            self._send(404, b'{"error": "unknown control endpoint"}', "application/json")
            return
        self._send(200, json.dumps(answer).encode(), "application/json")


class SandboxHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], sandbox: "Sandbox") -> None:
        super().__init__(address, Handler)
        self.sandbox = sandbox

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that gave up (a timeout test) is not an error worth a traceback."""
        import sys
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError, ConnectionAbortedError)):
            super().handle_error(request, client_address)


class Sandbox:
    """A stand-in Kaltura API v3 server on loopback, in a thread; a context manager.

    >>> with Sandbox() as sb:
    ...     sb.service_url, sb.partner_id, sb.admin_secret
    """

    def __init__(self, partner_id: int = 1234567, admin_secret: str | None = None, secret: str | None = None,
                 host: str = "127.0.0.1", port: int = 0, state_file: str | None = None,
                 latency: float = 0.0, ks_version: int = 2) -> None:
        self.state = State(state_file)
        self.faults = Faults()
        self.latency = latency
        self._log: list[dict[str, Any]] = []
        self._log_lock = threading.Lock()
        existing = self.state.partner(partner_id)
        if existing is None or (admin_secret and existing["admin_secret"] != admin_secret):
            existing = self.state.add_partner(partner_id, admin_secret, secret, ks_version)
        self.partner_id = partner_id
        self.admin_secret = existing["admin_secret"]
        self.secret = existing["secret"]
        self._httpd = SandboxHTTPServer((host, port), self)
        self._thread: threading.Thread | None = None

    @property
    def clock_offset(self) -> float:
        """Seconds the server's clock is ahead of this computer's (negative: behind)."""
        return clock.offset

    @clock_offset.setter
    def clock_offset(self, seconds: float) -> None:
        clock.offset = seconds

    @property
    def service_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "Sandbox":
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="kaltura-sandbox", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread:
            self._thread.join()

    def __enter__(self) -> "Sandbox":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- for tests ------------------------------------------------------------

    def add_partner(self, partner_id: int, admin_secret: str | None = None, secret: str | None = None,
                    ks_version: int = 2, ks_max_expiry: int = 86400) -> dict[str, Any]:
        return self.state.add_partner(partner_id, admin_secret, secret, ks_version, ks_max_expiry)

    def add_role(self, name: str, permission_names: str = "", system_name: str = "", description: str = "",
                 tags: str = "", partner_id: int | None = None, status: int = 1) -> dict[str, Any]:
        now = int(time.time())
        with self.state.lock:
            role = self.state.insert_role({
                "name": name, "systemName": system_name, "description": description, "status": status,
                "partnerId": self.partner_id if partner_id is None else partner_id,
                "permissionNames": permission_names, "tags": tags, "createdAt": now, "updatedAt": now})
            self.state.save()
            return dict(role)

    def add_user(self, user_id: str, role_ids: str | None = None, partner_id: int | None = None,
                 status: int = 1) -> dict[str, Any]:
        now = int(time.time())
        user = {"id": user_id, "partnerId": self.partner_id if partner_id is None else partner_id,
                "status": status, "roleIds": role_ids, "isAdmin": bool(role_ids), "screenName": user_id,
                "createdAt": now, "updatedAt": now}
        with self.state.lock:
            self.state.put_user(user)
            self.state.save()
        return dict(user)

    def log_request(self, method: str, path: str, calls: list[str]) -> None:
        with self._log_lock:
            self._log.append({"method": method, "path": path, "calls": calls, "time": time.time()})

    @property
    def requests(self) -> list[dict[str, Any]]:
        """Every API request received, oldest first, with the `service.action` of each call."""
        with self._log_lock:
            return [dict(r) for r in self._log]

    def calls(self) -> list[str]:
        return [c for r in self.requests for c in r["calls"]]

    def clear_requests(self) -> None:
        with self._log_lock:
            self._log.clear()

    def reset(self) -> None:
        """Back to the partners alone (fresh roles, no tokens or users), no log, no faults."""
        self.state.reset()
        self.faults.clear()
        self.clear_requests()
        clock.offset = 0.0

    def tokens(self, partner_id: int | None = None, include_deleted: bool = False) -> list[dict[str, Any]]:
        """What the server holds, seen from outside the API."""
        pid = self.partner_id if partner_id is None else partner_id
        with self.state.lock:
            return [dict(t) for t in self.state.data["tokens"].values()
                    if t["partnerId"] == pid and (include_deleted or t["status"] != 3)]

    def users(self, partner_id: int | None = None) -> list[dict[str, Any]]:
        pid = self.partner_id if partner_id is None else partner_id
        with self.state.lock:
            return [dict(u) for u in self.state.data["users"].values() if u["partnerId"] == pid and u["status"] != 2]
