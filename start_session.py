"""For the token's holder: turn an app token into a Kaltura Session (KS). No admin secret needed.

Reads --bundle FILE (as create_token.py --save wrote it), or --token-id with the token value from
KALTURA_APP_TOKEN (or a hidden prompt), KALTURA_PARTNER_ID and KALTURA_SERVICE_URL.
Prints the KS on stdout; what it allows on stderr.

Example:
  KS=$(python start_session.py --bundle vendor-token.json)
  python start_session.py --token-id 0_ab12cd34 --hash-type auto --explain
"""
from __future__ import annotations

import argparse
import sys

from kaltura_app_token import cli, demo, holder, output, sessions
from kaltura_app_token.client import Api, Target
from kaltura_app_token.errors import UsageError
from kaltura_app_token.expiry import describe_expiry


def main(argv: list[str] | None = None) -> int:
    p = cli.parser(__doc__, admin=False)
    p.add_argument("--bundle", metavar="FILE", help="the token bundle file")
    p.add_argument("--token-id", help="the token id (0_xxxxxxxx); the value comes from KALTURA_APP_TOKEN")
    p.add_argument("--partner-id", type=int)
    p.add_argument("--service-url")
    p.add_argument("--hash-type", help="MD5, SHA1, SHA256, SHA512, or auto (tries them; says which one)")
    p.add_argument("--expiry", type=int, metavar="SECONDS", help="a shorter KS lifetime (it can only shorten)")
    p.add_argument("--user", help="the session's user id (only for tokens bound to no user)")
    p.add_argument("--explain", action="store_true", help="show how the hash is made, with your inputs")
    p.add_argument("--sandbox", action="store_true", help="use the local stand-in server (state in .sandbox/)")
    args = p.parse_args(argv)
    return cli.run(lambda: start(args), args.debug)


def start(args: argparse.Namespace) -> int:
    inputs = holder.gather(args.bundle, args.token_id, args.partner_id,
                           "http://127.0.0.1" if args.sandbox else args.service_url, args.hash_type)
    for warning in inputs.warnings:
        cli.warn(warning)
    if args.expiry is not None and args.expiry <= 0:
        raise UsageError("--expiry must be a positive number of seconds")
    if args.user and inputs.bound_user and args.user != inputs.bound_user:
        raise UsageError(f"this token is bound to user {inputs.bound_user!r}; its sessions are always that user, "
                         "so --user cannot change it")
    sandbox = demo.start(inputs.partner_id) if args.sandbox else None
    try:
        url = sandbox.service_url if sandbox else inputs.service_url
        api = Api(Target(service_url=url, partner_id=inputs.partner_id, request_timeout=30.0))
        result = sessions.start(api, inputs.token_id, inputs.token, inputs.hash_type, args.expiry, args.user)
    finally:
        if sandbox:
            sandbox.stop()
    if inputs.hash_type == "auto":
        cli.say(f"this token uses hash type {result.hash_type}")
    if args.explain:
        cli.say(sessions.explain(result.widget_ks, inputs.token, result.hash_type))
    if args.user and result.user_id != args.user:
        cli.warn(f"the token's own user {result.user_id!r} was used, not {args.user!r}")
    if args.json:
        print(output.to_json({"ks": result.ks, "partnerId": result.partner_id, "userId": result.user_id,
                              "sessionType": result.session_type, "expiry": result.expiry,
                              "privileges": result.privileges, "hashType": result.hash_type,
                              "tokenId": inputs.token_id}))
    else:
        print(result.ks)
        cli.say(f"{result.session_type} session for user {result.user_id or '(none)'}, expires "
                f"{describe_expiry(result.expiry)}")
        cli.say(f"privileges: {result.privileges}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
