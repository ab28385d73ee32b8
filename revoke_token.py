"""Revoke (delete) app tokens. Every session a token issued stops working at once.

Example:
  python revoke_token.py 0_ab12cd34 0_ef56gh78
  python revoke_token.py 0_ab12cd34 --yes      # no question, for scripts
"""
from __future__ import annotations

import argparse
import sys

from kaltura_app_token import changes, cli, output, tokens
from kaltura_app_token.errors import ServerError


def main(argv: list[str] | None = None) -> int:
    p = cli.parser(__doc__)
    p.add_argument("ids", nargs="+", metavar="ID", help="tokens to revoke")
    p.add_argument("--yes", action="store_true", help="do not ask")
    args = p.parse_args(argv)
    return cli.run(lambda: revoke(args), args.debug)


def revoke(args: argparse.Namespace) -> int:
    ids = list(dict.fromkeys(args.ids))
    if not args.yes:
        changes.confirm_possible()
    failed: dict[str, ServerError] = {}
    with cli.admin_session(args) as (settings, api):
        found = []
        for token_id, result in zip(ids, changes.get_many(api, ids)):
            if isinstance(result, ServerError):
                failed[token_id] = result
            else:
                found.append(result)
                cli.say(f"{result['id']}: {result['sessionUserId'] or 'any user'}, expires "
                        f"{tokens.describe_expiry(result['expiry'])}, {result['description']}")
        if found and changes.confirm(f"Revoke {len(found)} token{'s' if len(found) != 1 else ''}? Every session "
                                     "they issued stops working now.", args.yes):
            for token, result in zip(found, changes.revoke(api, [t["id"] for t in found])):
                if isinstance(result, ServerError):
                    failed[token["id"]] = result
                else:
                    cli.say(f"revoked {token['id']}; its sessions no longer work")
            done = [t["id"] for t in found if t["id"] not in failed]
        else:
            done = []
            if found:
                cli.say("nothing revoked")
    for error in failed.values():
        cli.say(f"error: {error}")
    if args.json:
        print(output.to_json({"revoked": done, "failed": {i: str(e) for i, e in failed.items()}}))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
