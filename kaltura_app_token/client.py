"""The only module that touches KalturaClient: calls, multirequests, retries, and error translation."""
from __future__ import annotations

import time
import urllib.parse
from dataclasses import dataclass
from typing import Any, Callable

from .errors import BadAnswer, ServerError, ToolError, Unreachable, register_secret

MAX_BODY = 64 * 1024 * 1024
ADMIN_KS_LIFETIME = 2 * 3600
READ_ATTEMPTS = 3
FAILING_RUN_BUDGET = 4  # a failing run ends within this many request timeouts


@dataclass
class Target:
    """Where the calls go and as whom; what error messages may name."""
    service_url: str
    partner_id: int
    request_timeout: float = 30.0
    admin_secret: str = ""
    user_id: str = ""
    admin_session: str = "local"


def _client_class() -> type:
    """KalturaClient with the Core plugin only, no redirects, and answers checked before parsing."""
    import requests
    from KalturaClient import KalturaClient

    class LeanClient(KalturaClient):
        def loadPlugins(self) -> None:
            self.loadPlugin("Core")

        def doHttpRequest(self, url: str, params: Any = None, files: Any = None) -> bytes:
            headers = dict(self.requestHeaders)
            headers.update({"Accept": "text/xml", "Content-Type": "application/json"})
            try:
                response = requests.post(url, json=params.get(), headers=headers, stream=True,
                                         timeout=self.config.requestTimeout, allow_redirects=False)
                body = response.raw.read(MAX_BODY + 1, decode_content=True)
                response.close()
            except requests.exceptions.RequestException as exc:
                reason, sent = describe_network_error(exc)
                raise Unreachable(f"could not reach {self.config.serviceUrl}: {reason}", sent=sent) from None
            except OSError as exc:
                raise Unreachable(f"could not reach {self.config.serviceUrl}: the connection broke "
                                  f"({type(exc).__name__})", sent=True) from None
            self.responseHeaders = response.headers
            check_answer(url, response.status_code, response.headers, body)
            return body

    return LeanClient


def describe_network_error(exc: Exception) -> tuple[str, bool]:
    """What went wrong in words, and whether the request may have reached the server."""
    import requests
    text = str(exc)
    if isinstance(exc, requests.exceptions.SSLError):
        return "the TLS (https) handshake failed; the certificate may be wrong or a proxy may intercept it", False
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return "no connection within request_timeout; check service_url, or try again later", False
    if isinstance(exc, requests.exceptions.Timeout):
        return "no answer within request_timeout; raise request_timeout or try again later", True
    if "Name or service not known" in text or "getaddrinfo" in text or "NameResolution" in text \
            or "nodename nor servname" in text or "Temporary failure in name resolution" in text:
        return "its host name was not found (DNS); check service_url", False
    if "Connection refused" in text or "ConnectionRefused" in text:
        return "the connection was refused; check service_url and its port", False
    if "RemoteDisconnected" in text or "Connection aborted" in text or "reset by peer" in text:
        return "the connection was closed before an answer came", True
    return f"{type(exc).__name__}", True


def check_answer(url: str, status: int, headers: Any, body: bytes) -> None:
    """Only a complete Kaltura XML document may reach the client's parser."""
    where = url.split("/api_v3")[0]
    if 300 <= status < 400:
        location = headers.get("Location", "")
        host = urllib.parse.urlsplit(location).netloc or "the same host"
        raise BadAnswer(f"{where} answered HTTP {status}, a redirect to {host}; redirects are not followed "
                        "(the admin session would go along); set service_url to the host that answers")
    if len(body) > MAX_BODY:
        raise BadAnswer(f"{where} answered HTTP {status} with more than {MAX_BODY // (1024 * 1024)} MB; "
                        "that is not a Kaltura answer")
    text = body.strip()
    kind = (headers.get("Content-Type") or "no content type").split(";")[0]
    if status != 200:
        raise BadAnswer(f"{where} answered HTTP {status} ({kind}) instead of Kaltura XML; the server or a "
                        "proxy in front of it is failing; try again later")
    if not text:
        raise BadAnswer(f"{where} answered HTTP 200 with an empty body instead of Kaltura XML")
    if not (text.startswith(b"<?xml") or text.startswith(b"<xml>")) or not text.endswith(b"</xml>"):
        what = "an HTML page" if b"<html" in text[:500].lower() else "something that is not Kaltura XML"
        if text.startswith(b"<?xml") or text.startswith(b"<xml>"):
            what = "an incomplete XML document"
        raise BadAnswer(f"{where} answered HTTP 200 with {what}; check service_url (is it the Kaltura API "
                        "host?) or try again later")
    if b"<result>" not in text and b"<result/>" not in text:
        raise BadAnswer(f"{where} answered XML without a <result>; that is not a Kaltura API answer")


# -- translation of Kaltura errors --------------------------------------------------

def translate(code: str, message: str, call: str, target: Target, args: dict[str, Any]) -> ToolError:
    """A sentence saying what to change, with the Kaltura code in brackets."""
    partner, url = target.partner_id, target.service_url
    if code == "INVALID_KS":
        reason = next((r for r in ("EXPIRED", "LOGOUT", "EXCEEDED_") if f'"{r}' in message), "INVALID")
        if reason == "EXPIRED" and target.admin_secret and target.admin_session == "local":
            now = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
            text = (f"the server refused the admin session signed on this computer as expired: this computer's "
                    f"clock is off (it says {now}); fix the clock, or set admin_session = 'server'")
        elif reason == "EXPIRED":
            text = "the session has expired; start a new one"
        elif reason == "LOGOUT":
            text = "the session was ended (session.end), or the app token that made it was revoked"
        elif reason == "EXCEEDED_":
            text = "the session's restrictions (actionslimit, iprestrict or urirestrict) refused this call"
        elif target.admin_secret:
            text = f"admin_secret does not match partner {partner} at {url} (or the partner is not there)"
        else:
            text = f"the server cannot verify the session for partner {partner} at {url}"
        error = ServerError(text, code)
        error.reason = reason
        return error
    text = {
        "START_SESSION_ERROR": f"admin_secret does not match partner {partner} at {url}",
        "SERVICE_FORBIDDEN": f"the admin session (userId {target.user_id!r}) is not allowed to call {call}; "
                             "use the admin secret with a Publisher Administrator user, or give the user's role "
                             "the App Token permissions (KMC > Administration > Roles)",
        "SERVICE_FORBIDDEN_CONTENT_BLOCKED": f"partner {partner} is unknown or blocked at {url}; check partner_id "
                                             "and service_url",
        "USER_BLOCKED": f"the admin user {target.user_id!r} is blocked on partner {partner}; set userId to an "
                        "active user",
        "APP_TOKEN_ID_NOT_FOUND": f"no active app token {args.get('id', '')!r} on partner {partner} (a revoked "
                                  "token cannot be seen any more); list_tokens.py shows the tokens that exist",
        "APP_TOKEN_EXPIRED": f"app token {args.get('id', '')!r} has expired; ask its administrator for a new one",
        "APP_TOKEN_NOT_ACTIVE": f"app token {args.get('id', '')!r} is disabled; ask its administrator",
        "INVALID_OBJECT_ID": "the role named by setrole does not exist on this partner; check role_id",
        "UNKNOWN_ROLE_ID": "the role named by setrole does not exist on this partner; check role_id",
        "INVALID_FIELD_VALUE": f"the server refused a value as invalid ({message}); check apptoken_user",
    }.get(code, f"the Kaltura server refused {call}: {message}")
    return ServerError(text, code)


class Api:
    """Calls over one KalturaClient; reads are retried, writes never blindly."""

    def __init__(self, target: Target) -> None:
        from KalturaClient import KalturaConfiguration
        self.target = target
        config = KalturaConfiguration()
        config.serviceUrl = target.service_url
        config.requestTimeout = target.request_timeout
        self.client = _client_class()(config)
        self.ks: str | None = None
        self.give_up_at: float | None = None

    # -- sessions -------------------------------------------------------------

    def use_ks(self, ks: str, secret: bool = True) -> None:
        """Send this KS from now on; secret ones are hidden from every message."""
        if secret:
            register_secret(ks)
        self.ks = ks
        self.client.setKs(ks)

    def sign_admin_ks(self) -> str:
        """KS v2 signed here from the admin secret: no round trip, the secret stays on this computer."""
        from KalturaClient.Plugins.Core import KalturaSessionType
        ks = self.client.generateSessionV2(self.target.admin_secret, self.target.user_id,
                                           KalturaSessionType.ADMIN, self.target.partner_id,
                                           ADMIN_KS_LIFETIME, "").decode()
        register_secret(ks)
        return ks

    def _needs_server_session(self) -> bool:
        return self.ks is None and bool(self.target.admin_secret) and self.target.admin_session == "server"

    def ensure_admin(self) -> None:
        if self.ks is None and self.target.admin_secret and self.target.admin_session == "local":
            self.use_ks(self.sign_admin_ks())

    # -- calls ----------------------------------------------------------------

    def call(self, name: str, fn: Callable[[Any], Any], *, write: bool = False, **args: Any) -> Any:
        """One call (`name` is service.action, for messages); server admin sessions ride along."""
        if self._needs_server_session():
            return self.multi([(name, fn, args)], write=write, raise_errors=True)[0]
        self.ensure_admin()

        def run() -> Any:
            result = fn(self.client)
            if result is None and not name.endswith((".delete", ".end")):
                raise BadAnswer(f"{self.target.service_url} answered {name} without an object")
            return result
        return self._attempt(run, name, write, args)

    def multi(self, calls: list[tuple[str, Callable[[Any], Any], dict[str, Any]]], *, write: bool = False,
              raise_errors: bool = False) -> list[Any]:
        """One multirequest; each result is the value or a ServerError (raised with raise_errors)."""
        from KalturaClient.exceptions import KalturaException
        from KalturaClient.Plugins.Core import KalturaSessionType
        chained = self._needs_server_session()
        self.ensure_admin()

        def run() -> list[Any]:
            self.client.startMultiRequest()
            if chained:
                self.client.session.start(self.target.admin_secret, self.target.user_id, KalturaSessionType.ADMIN,
                                          self.target.partner_id, ADMIN_KS_LIFETIME)
                self.client.setKs("{1:result}")
            for _, fn, _ in calls:
                fn(self.client)
            expected = list(self.client.multiRequestReturnType or [])
            try:
                return check_types(self.client.doMultiRequest(), expected, self.target.service_url)
            finally:
                self.client.multiRequestReturnType = None
                if self.ks:
                    self.client.setKs(self.ks)
        results = self._attempt(run, "multirequest", write, {})
        if chained:
            session, results = results[0], results[1:]
            if isinstance(session, KalturaException):
                raise translate(session.code, session.message, "session.start", self.target, {})
            self.use_ks(str(session))
        out = []
        for (name, _, args), result in zip(calls, results):
            if isinstance(result, KalturaException):
                result = translate(result.code, result.message, name, self.target, args)
                if raise_errors:
                    raise result
            out.append(result)
        return out

    def _attempt(self, run: Callable[[], Any], name: str, write: bool, args: dict[str, Any]) -> Any:
        """Reads: retried with backoff on no answer or a bad one, all within 4 request timeouts.
        Writes: one attempt; what happens after an unclear failure is the caller's business."""
        from KalturaClient.exceptions import KalturaClientException, KalturaException
        timeout = self.target.request_timeout
        give_up = time.monotonic() + FAILING_RUN_BUDGET * timeout
        if self.give_up_at is not None:
            give_up = min(give_up, self.give_up_at)
        attempt = 0
        while True:
            attempt += 1
            try:
                return run()
            except KalturaException as exc:
                raise translate(exc.code, exc.message, name, self.target, args) from None
            except (Unreachable, BadAnswer) as exc:
                pause = min(0.5 * attempt, timeout / 4)
                retry = not write and attempt < READ_ATTEMPTS and time.monotonic() + pause + timeout <= give_up
                if isinstance(exc, Unreachable) and not exc.sent and "refused" not in str(exc):
                    retry = False  # DNS or TLS: asking again will not help
                if not retry:
                    raise
                time.sleep(pause)
            except KalturaClientException as exc:
                raise BadAnswer(f"{self.target.service_url} answered something the Kaltura client could not "
                                f"read: {exc.args[0] if exc.args else exc.code}") from None
            except (ValueError, TypeError, AttributeError, UnicodeDecodeError) as exc:
                raise BadAnswer(f"{self.target.service_url} answered a Kaltura document that could not be read "
                                f"({type(exc).__name__}) for {name}") from None


def check_types(results: list[Any], expected: list[str], where: str) -> list[Any]:
    """A multirequest answer must hold one item per call, each of the type the call returns."""
    from KalturaClient.Base import KalturaObjectFactory
    from KalturaClient.exceptions import KalturaException
    if len(results) != len(expected):
        raise BadAnswer(f"{where} answered {len(results)} results to a multirequest of {len(expected)} calls")
    for result, type_name in zip(results, expected):
        cls = KalturaObjectFactory.objectFactories.get(type_name)
        if cls is not None and not isinstance(result, (cls, KalturaException)):
            raise BadAnswer(f"{where} answered {type(result).__name__} where {type_name} was expected")
    return results


def list_all(api: Api, name: str, fetch: Callable[[Any, Any], Any], page_size: int = 500) -> tuple[list[Any], int]:
    """Every page of one listing (see list_many)."""
    return list_many(api, [(name, fetch)], page_size)[0]


def list_many(api: Api, listings: list[tuple[str, Callable[[Any, Any], Any]]], page_size: int = 500
              ) -> list[tuple[list[Any], int]]:
    """Every page of several listings in two requests: all first pages with their totals, then the rest."""
    from KalturaClient.Plugins.Core import KalturaFilterPager

    def pager(index: int) -> Any:
        p = KalturaFilterPager()
        p.pageSize, p.pageIndex = page_size, index
        return p
    if len(listings) == 1:
        name, fetch = listings[0]
        firsts = [api.call(name, lambda c: fetch(c, pager(1)))]
    else:
        firsts = api.multi([(name, lambda c, f=fetch: f(c, pager(1)), {}) for name, fetch in listings],
                           raise_errors=True)
    results = [(list(first.objects or []), first.totalCount) for first in firsts]
    rest = [(i, name, fetch, index) for i, ((name, fetch), first) in enumerate(zip(listings, firsts))
            for index in range(2, -(-first.totalCount // page_size) + 1)]
    if rest:
        pages = api.multi([(name, lambda c, f=fetch, n=index: f(c, pager(n)), {}) for _, name, fetch, index in rest],
                          raise_errors=True)
        for (i, _, _, _), page in zip(rest, pages):
            results[i][0].extend(page.objects or [])
    return results


def enum_value(value: Any) -> Any:
    """The client's enum wrappers -> their plain value (B12)."""
    return value.getValue() if hasattr(value, "getValue") else value
