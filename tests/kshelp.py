"""An independent KS decoder written from the notes (§5), to check the sandbox's KSs."""
from __future__ import annotations

import base64
import hashlib
import urllib.parse

from Crypto.Cipher import AES


def decode(ks: str, admin_secret: str) -> dict[str, str]:
    raw = base64.b64decode(ks.replace("-", "+").replace("_", "/"))
    if raw.startswith(b"v2|"):
        _, partner, cipher = raw.split(b"|", 2)
        key = hashlib.sha1(admin_secret.encode()).digest()[:16]
        plain = AES.new(key, AES.MODE_CBC, b"\0" * 16).decrypt(cipher).rstrip(b"\0")
        assert hashlib.sha1(plain[20:]).digest() == plain[:20], "v2 signature"
        fields = dict(urllib.parse.parse_qsl(plain[36:].decode(), keep_blank_values=True))
        fields["version"] = "2"
        fields["partner"] = partner.decode()
        return fields
    signature, info = raw.split(b"|", 1)
    assert hashlib.sha1(admin_secret.encode() + info).hexdigest().encode() == signature, "v1 signature"
    parts = info.decode().split(";")
    return {"version": "1", "partner": parts[0], "_e": parts[2], "_t": parts[3], "_u": parts[5],
            "privileges": parts[6]}
