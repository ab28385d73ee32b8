"""Decode and explain a KS: partner, user, type, expiry, privileges one per line.

With the admin secret (settings.py or KALTURA_ADMIN_SECRET) it decodes v1 and v2 here, with no
request. Without it, or with --server, it asks session.get. --probe makes one call with the KS to
tell valid, expired and revoked apart (session.get alone checks nothing).

Example:
  python check_ks.py "$KS"
  echo "$KS" | python check_ks.py --probe
"""
from __future__ import annotations

import argparse
import os
import sys

from kaltura_app_token import cli, listing, output, privileges, sessions
from kaltura_app_token.client import Api, Target, enum_value
from kaltura_app_token.config import find_settings
from kaltura_app_token.errors import ServerError, UsageError, register_secret
from kaltura_app_token.expiry import describe_expiry


def main(argv: list[str] | None = None) -> int:
    p = cli.parser(__doc__)
    p.add_argument("ks", nargs="?", help="the KS (default: read from stdin)")
    p.add_argument("--server", action="store_true", help="ask session.get instead of decoding here")
    p.add_argument("--resolve", action="store_true", help="name the role of setrole (one request)")
    p.add_argument("--probe", action="store_true", help="one call with the KS: valid, expired or revoked?")
    args = p.parse_args(argv)
    return cli.run(lambda: check(args), args.debug)


def read_ks(args: argparse.Namespace) -> str:
    text = args.ks if args.ks is not None else sys.stdin.read()
    ks = text.strip()
    if not ks:
        raise UsageError("give the KS as an argument or on stdin")
    register_secret(ks)
    return ks


def have_admin_settings(args: argparse.Namespace) -> bool:
    return args.sandbox or bool(os.environ.get("KALTURA_ADMIN_SECRET")) or find_settings(args.settings) is not None


def check(args: argparse.Namespace) -> int:
    ks = read_ks(args)
    partner = sessions.ks_partner(ks)
    if partner is None:
        raise UsageError("this is not a KS: it is neither a v1 nor a v2 Kaltura session")
    if not have_admin_settings(args):
        return server_side(args, ks, Target(service_url=os.environ.get("KALTURA_SERVICE_URL",
                                                                       "https://www.kaltura.com"),
                                            partner_id=partner))
    with cli.admin_session(args) as (settings, api):
        if args.server:
            info = api.call("session.get", lambda c: c.session.get(ks))
            decoded = sessions.DecodedKS(0, info.partnerId, info.expiry, enum_value(info.sessionType),
                                         info.userId or "", info.privileges or "")
        else:
            if partner != settings.partner_id:
                cli.warn(f"this KS is for partner {partner}, the settings are for partner {settings.partner_id}")
            decoded = sessions.decode(ks, settings.admin_secret)
        names = role_names(api, decoded) if args.resolve else None
        verdict = sessions.probe(Api(Target(settings.service_url, partner, settings.request_timeout)), ks) \
            if args.probe else None
    return report(args, decoded, names, verdict)


def server_side(args: argparse.Namespace, ks: str, target: Target) -> int:
    """No admin secret here: the KS asks about itself (admin sessions may; user sessions may not)."""
    api = Api(target)
    verdict = sessions.probe(api, ks) if args.probe else None
    api.use_ks(ks)
    try:
        info = api.call("session.get", lambda c: c.session.get())
    except ServerError as exc:
        if exc.code != "SERVICE_FORBIDDEN":
            raise
        raise ServerError("this KS may not read itself (user sessions may not call session.get); give the admin "
                          "secret (settings.py or KALTURA_ADMIN_SECRET) to decode it here", exc.code) from None
    decoded = sessions.DecodedKS(0, info.partnerId, info.expiry, enum_value(info.sessionType),
                                 info.userId or "", info.privileges or "")
    return report(args, decoded, None, verdict)


def role_names(api: Api, decoded: sessions.DecodedKS) -> dict[str, str]:
    refs = [v for n, v in privileges.split(decoded.privileges) if n == "setrole" and v]
    if not refs:
        return {}
    from kaltura_app_token import roles
    return listing.role_names(roles.all_roles(api))


def report(args: argparse.Namespace, decoded: sessions.DecodedKS, names: dict[str, str] | None,
           verdict: tuple[str, str] | None) -> int:
    kind = sessions.SESSION_TYPES.get(decoded.session_type, str(decoded.session_type))
    explained = privileges.explain(decoded.privileges, names)
    if args.json:
        data = {"version": decoded.version or None, "partnerId": decoded.partner_id, "userId": decoded.user_id,
                "sessionType": kind, "expiry": decoded.valid_until, "privileges": decoded.privileges,
                "explained": [{"privilege": p, "meaning": m} for p, m in explained]}
        if verdict:
            data["probe"] = {"state": verdict[0], "detail": verdict[1]}
        print(output.to_json(data))
    else:
        rows = [("version", str(decoded.version) if decoded.version else "(from session.get)"),
                ("partner", str(decoded.partner_id)), ("user", decoded.user_id or "(none)"),
                ("type", f"{kind} ({decoded.session_type})"), ("expires", describe_expiry(decoded.valid_until))]
        for i, (entry, meaning) in enumerate(explained or [("(none)", "")]):
            rows.append(("privileges" if i == 0 else "", f"{entry:<30} {meaning}".rstrip()))
        if verdict:
            rows.append(("probe", f"{verdict[0]}: {verdict[1]}"))
        print("\n".join(f"  {k:<11} {v}" for k, v in rows))
    return 0 if verdict is None or verdict[0] == "valid" else 1


if __name__ == "__main__":
    sys.exit(main())
