"""Sessions: the holder's app token -> KS flow, and reading a KS (v1 and v2) with the admin secret."""
from __future__ import annotations

import base64
import binascii
import hashlib
import re
import urllib.parse
from dataclasses import dataclass
from typing import Any

from .client import Api, enum_value
from .errors import ServerError, UsageError, register_secret

AUTO_ORDER = ("SHA256", "SHA1", "SHA512", "MD5")
TOKEN_VALUE = re.compile(r"^[0-9a-f]{32}$")
SESSION_TYPES = {0: "USER", 2: "ADMIN"}


def check_token_value(value: str) -> str:
    value = value.strip()
    if re.fullmatch(r"\d+_[0-9a-z]{8}", value):
        raise UsageError("the token value given looks like a token id (e.g. 0_ab12cd34); the hash needs the token "
                         "value: the 32 hexadecimal characters shown when the token was created")
    if not TOKEN_VALUE.match(value):
        raise UsageError("the token value must be the 32 lowercase hexadecimal characters shown when the token was "
                         f"created; the value given has {len(value)} characters")
    register_secret(value)
    return value


def token_hash(hash_type: str, ks: str, token: str) -> str:
    """Lowercase hex of HASH(ks + token): the exact KS sent with startSession, then the token value."""
    return hashlib.new(hash_type.lower(), (ks + token).encode("utf-8")).hexdigest()


@dataclass
class HolderSession:
    ks: str
    partner_id: int
    user_id: str
    session_type: str
    expiry: int
    privileges: str
    hash_type: str
    widget_ks: str


def hash_explanation(hash_type: str) -> str:
    return (f"the server computed a different hash. Check: the hash type (this used {hash_type}; the token may use "
            "another, and one created without a hash type uses SHA1: --hash-type auto tries all four); that the "
            "token value (32 hexadecimal characters) was "
            "used, not the token id; and that the hash covers the exact widget KS sent with startSession, with "
            "nothing between them and no newline (--explain shows the recipe with your inputs)")


def start(api: Api, token_id: str, token: str, hash_type: str, expiry: int | None = None,
          user: str | None = None) -> HolderSession:
    """Widget session, then startSession with it: two requests, whatever the hash type (auto included)."""
    partner_id = api.target.partner_id
    widget = api.call("session.startWidgetSession", lambda c: c.session.startWidgetSession(f"_{partner_id}"))
    api.use_ks(widget.ks, secret=False)
    kinds = AUTO_ORDER if hash_type == "auto" else (hash_type,)
    options: dict[str, Any] = {}
    if expiry:
        options["expiry"] = expiry
    if user:
        options["userId"] = user

    def starter(kind: str) -> Any:
        digest = token_hash(kind, widget.ks, token)
        return lambda c: c.appToken.startSession(token_id, digest, **options)
    args = {"id": token_id}
    if len(kinds) == 1:
        results = [_catching(lambda: api.call("appToken.startSession", starter(kinds[0]), **args))]
    else:
        results = api.multi([("appToken.startSession", starter(k), args) for k in kinds])
    for kind, result in zip(kinds, results):
        if not isinstance(result, ServerError):
            return HolderSession(ks=result.ks, partner_id=result.partnerId, user_id=result.userId or "",
                                 session_type=SESSION_TYPES.get(enum_value(result.sessionType), "?"),
                                 expiry=result.expiry, privileges=result.privileges or "", hash_type=kind,
                                 widget_ks=widget.ks)
    error = next((r for r in results if r.code != "INVALID_APP_TOKEN_HASH"), results[0])
    if error.code == "INVALID_APP_TOKEN_HASH":
        tried = "every hash type (SHA256, SHA1, SHA512, MD5)" if len(kinds) > 1 else kinds[0]
        raise ServerError(hash_explanation(tried) if len(kinds) == 1 else
                          f"the server refused {tried}: the token value is wrong (is it the value, not the id?) "
                          "or belongs to another token", error.code)
    raise error


def _catching(run: Any) -> Any:
    try:
        return run()
    except ServerError as exc:
        return exc


def explain(widget_ks: str, token: str, hash_type: str) -> str:
    """The recipe with the real inputs (token masked) and the digest: a test vector."""
    digest = token_hash(hash_type, widget_ks, token)
    return "\n".join([
        "How the hash is made (appToken.startSession):",
        "  1. session.startWidgetSession(\"_<partnerId>\") gives a widget KS:",
        f"       {widget_ks}",
        f"  2. append the token value (32 hex characters, here {token[:4]}…), nothing between, no newline",
        f"  3. {hash_type} of those bytes, written as lowercase hex:",
        f"       {digest}",
        "  4. call appToken.startSession(id, tokenHash) with the widget KS as the request's ks",
        "  In a shell: printf '%s%s' \"$WIDGET_KS\" \"$TOKEN\" | " + {"MD5": "md5sum", "SHA1": "sha1sum",
                                                                   "SHA256": "sha256sum",
                                                                   "SHA512": "sha512sum"}[hash_type],
    ])


# -- reading a KS -----------------------------------------------------------------

@dataclass
class DecodedKS:
    version: int
    partner_id: int
    valid_until: int
    session_type: int
    user_id: str
    privileges: str


def ks_partner(ks: str) -> int | None:
    """The partner id a KS names, readable without any secret."""
    raw = _b64(ks)
    if raw is None:
        return None
    if raw.startswith(b"v2|"):
        parts = raw.split(b"|", 2)
        return int(parts[1]) if len(parts) == 3 and parts[1].isdigit() else None
    info = raw.partition(b"|")[2].split(b";")
    return int(info[0]) if info and info[0].isdigit() else None


def _b64(ks: str) -> bytes | None:
    try:
        return base64.b64decode(ks.strip().replace("-", "+").replace("_", "/"), validate=True)
    except (binascii.Error, ValueError):
        return None


def decode(ks: str, admin_secret: str) -> DecodedKS:
    """v1: sha1(secret + fields) | fields; v2: AES-128-CBC under sha1(secret)[:16]. Raises UsageError."""
    raw = _b64(ks)
    if raw is None:
        raise UsageError("this is not a KS: it is not base64")
    if raw.startswith(b"v2|"):
        return _decode_v2(raw, admin_secret)
    signature, sep, info = raw.partition(b"|")
    fields = info.split(b";")
    if not sep or len(fields) < 4:
        raise UsageError("this is not a KS: its fields cannot be read")
    if hashlib.sha1(admin_secret.encode() + info).hexdigest().encode() != signature:
        raise UsageError(f"the admin secret does not sign this KS (partner {fields[0].decode(errors='replace')}): "
                         "it was made with another secret, or it was changed")
    text = [f.decode("utf-8", "replace") for f in fields] + [""] * 9
    return DecodedKS(1, int(text[0]), int(text[2] or 0), int(text[3] or 0), text[5], text[6])


def _decode_v2(raw: bytes, admin_secret: str) -> DecodedKS:
    from Crypto.Cipher import AES
    parts = raw.split(b"|", 2)
    if len(parts) != 3 or not parts[1].isdigit() or len(parts[2]) % 16:
        raise UsageError("this is not a KS: its v2 envelope is damaged")
    key = hashlib.sha1(admin_secret.encode()).digest()[:16]
    plain = AES.new(key, AES.MODE_CBC, b"\0" * 16).decrypt(parts[2]).rstrip(b"\0")
    if len(plain) < 36 or hashlib.sha1(plain[20:]).digest() != plain[:20]:
        raise UsageError(f"the admin secret does not open this KS (partner {parts[1].decode()}): it was made with "
                         "another secret, or it was changed")
    fields = urllib.parse.parse_qsl(plain[36:].decode("utf-8", "replace"), keep_blank_values=True)
    values = dict(fields)
    privileges = ",".join(f"{k}:{v}" if v else k for k, v in fields if k not in ("_e", "_t", "_u", "_m", "_d"))
    return DecodedKS(2, int(parts[1]), int(values.get("_e") or 0), int(values.get("_t") or 0),
                     values.get("_u", ""), "*" if privileges == "all:*" else privileges)


def probe(api: Api, ks: str) -> tuple[str, str]:
    """One cheap call with the KS itself: ('valid'|'expired'|'revoked'|'invalid'|'restricted', detail)."""
    api.use_ks(ks)
    try:
        api.call("session.get", lambda c: c.session.get())
    except ServerError as exc:
        if exc.code == "SERVICE_FORBIDDEN":
            return "valid", "the server accepts it (it may not read sessions, which is normal for USER sessions)"
        if exc.code == "INVALID_KS":
            return {
                "EXPIRED": ("expired", "the server refuses it: it has expired"),
                "LOGOUT": ("revoked", "the server refuses it: it was ended (session.end) or the app token that made "
                                      "it was revoked"),
                "EXCEEDED_": ("restricted", "the server refuses it for this call: its restrictions do not allow it"),
            }.get(exc.reason, ("invalid", "the server refuses it: its signature does not verify for its partner"))
        raise
    return "valid", "the server accepts it"
