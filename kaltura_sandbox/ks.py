"""KS v1 and v2, built and parsed as kSessionBase does (notes §5)."""
from __future__ import annotations

import base64
import binascii
import hashlib
import os
import time
import urllib.parse
from dataclasses import dataclass, field
from typing import Callable, Iterable

from Crypto.Cipher import AES

RANDOM_SIZE = 16


@dataclass
class KS:
    partner_id: int
    valid_until: int
    type: int
    user_id: str
    privileges: str
    version: int = 2
    master_partner_id: str = ""
    additional_data: str = ""
    raw: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def is_admin(self) -> bool:
        return self.type >= 1

    def privilege_map(self) -> dict[str, list[str]]:
        return parse_privileges(self.privileges)

    @property
    def is_widget_session(self) -> bool:
        return (self.type == 0 and self.user_id in ("", "0")
                and "1" in self.privilege_map().get("widget", []))


# -- privileges (parsePrivileges / buildPrivileges, §5.4) --------------------

def parse_privileges(text: str) -> dict[str, list[str]]:
    """Split on ',' then the first ':'; values on '/'; repeated names merge."""
    result: dict[str, list[str]] = {}
    for entry in (text or "").split(","):
        if entry == "":
            continue
        name, sep, value = entry.partition(":")
        values = value.split("/") if sep else []
        result.setdefault(name, []).extend(values)
    return result


def build_privileges(privileges: dict[str, list[str]]) -> str:
    return ",".join(f"{name}:{'/'.join(values)}" if values else name
                    for name, values in privileges.items())


# -- v1 ----------------------------------------------------------------------

def build_v1(secret: str, partner_id: int, valid_until: int, ks_type: int,
             user_id: str, privileges: str) -> str:
    rand = repr(time.time())
    info = ";".join([str(partner_id), str(partner_id), str(valid_until), str(ks_type), rand,
                     user_id, privileges, "", ""])
    signature = hashlib.sha1((secret + info).encode()).hexdigest()
    return base64.b64encode(f"{signature}|{info}".encode()).decode()


def _parse_v1(decoded: bytes, raw: str, secrets_for: Callable[[int], Iterable[str]]) -> KS | None:
    signature, sep, rest = decoded.partition(b"|")
    parts = rest.split(b";")
    if not sep or len(parts) < 3:
        return None
    try:
        partner_id = int(parts[0])
    except ValueError:
        return None
    for secret in secrets_for(partner_id):
        if hashlib.sha1(secret.encode() + rest).hexdigest().encode() == signature:
            break
    else:
        return None
    text = [p.decode("utf-8", "replace") for p in parts] + [""] * 9
    return KS(partner_id=partner_id, valid_until=_int(text[2]), type=_int(text[3]),
              user_id=text[5], privileges=text[6], version=1, master_partner_id=text[7],
              additional_data=text[8], raw=raw)


# -- v2 ----------------------------------------------------------------------

def _php_urlencode(text: str) -> str:
    return urllib.parse.quote_plus(text, safe="").replace("~", "%7E")


def build_v2(secret: str, partner_id: int, valid_until: int, ks_type: int,
             user_id: str, privileges: str) -> str:
    fields: dict[str, str] = {}
    for entry in privileges.split(","):
        entry = entry.strip()
        if not entry:
            continue
        if entry == "*":
            entry = "all:*"
        name, _, value = entry.partition(":")
        fields.pop(name, None)
        fields[name] = value
    fields.update({"_e": str(valid_until), "_t": str(ks_type), "_u": user_id})
    query = "&".join(f"{_php_urlencode(k)}={_php_urlencode(v)}" for k, v in fields.items()).encode()
    rand = os.urandom(RANDOM_SIZE)
    plain = hashlib.sha1(rand + query).digest() + rand + query
    plain += b"\0" * (-len(plain) % 16)
    key = hashlib.sha1(secret.encode()).digest()[:16]
    cipher = AES.new(key, AES.MODE_CBC, b"\0" * 16).encrypt(plain)
    return base64.urlsafe_b64encode(f"v2|{partner_id}|".encode() + cipher).decode()


def _parse_str(query: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in query.split("&"):
        if not pair:
            continue
        key, _, value = pair.partition("=")
        key = urllib.parse.unquote_plus(key).replace(".", "_").replace(" ", "_")
        out[key] = urllib.parse.unquote_plus(value)
    return out


def _parse_v2(decoded: bytes, raw: str, secrets_for: Callable[[int], Iterable[str]]) -> KS | None:
    parts = decoded.split(b"|", 2)
    if len(parts) != 3:
        return None
    try:
        partner_id = int(parts[1])
    except ValueError:
        return None
    cipher = parts[2]
    if not cipher or len(cipher) % 16:
        return None
    for secret in secrets_for(partner_id):
        key = hashlib.sha1(secret.encode()).digest()[:16]
        plain = AES.new(key, AES.MODE_CBC, b"\0" * 16).decrypt(cipher).rstrip(b"\0")
        if len(plain) >= 20 + RANDOM_SIZE and hashlib.sha1(plain[20:]).digest() == plain[:20]:
            break
    else:
        return None
    fields = _parse_str(plain[20 + RANDOM_SIZE:].decode("utf-8", "replace"))
    privileges = ",".join(f"{k}:{v}" if v != "" else k for k, v in fields.items()
                          if k not in ("_e", "_t", "_u", "_m", "_d"))
    if privileges == "all:*":
        privileges = "*"
    return KS(partner_id=partner_id, valid_until=_int(fields.get("_e", "0")),
              type=_int(fields.get("_t", "0")), user_id=fields.get("_u", ""),
              privileges=privileges, version=2, master_partner_id=fields.get("_m", ""),
              additional_data=fields.get("_d", ""), raw=raw)


def parse(raw: str, secrets_for: Callable[[int], Iterable[str]]) -> KS | None:
    """Decode and verify; None when the string does not parse or verify."""
    try:
        decoded = base64.b64decode(raw.replace("-", "+").replace("_", "/").encode(), validate=True)
    except (binascii.Error, ValueError, UnicodeEncodeError):
        return None
    if decoded.startswith(b"v2|"):
        return _parse_v2(decoded, raw, secrets_for)
    return _parse_v1(decoded, raw, secrets_for)


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        return 0


def issue(partner: dict, ks_type: int, user_id: str, privileges: str, valid_until: int) -> str:
    """A KS in the partner's KS version, always with the admin secret (§5.1)."""
    build = build_v1 if partner.get("ks_version") == 1 else build_v2
    return build(partner["admin_secret"], partner["id"], valid_until, ks_type, user_id, privileges)


def session_id_key(partner_id: int, session_id: str) -> str:
    """ks::buildSessionIdHash: the invalidation key of every KS with sessionid:<id>."""
    return "sid:" + hashlib.sha1(f"{partner_id}_{session_id}".encode()).hexdigest()


def ks_key(raw: str) -> str:
    return "ks:" + hashlib.sha1(raw.encode()).hexdigest()
