"""Replace an app token by a new one with exactly the same settings (a new secret).

The new token's bundle is written to --save FILE (required unless --json). The old token is
revoked only with --revoke-old (asked unless --yes); otherwise you are told how to revoke it.

Example:
  python rotate_token.py 0_ab12cd34 --save vendor-token-2.json --revoke-old
"""
from __future__ import annotations

import argparse
import sys

from kaltura_app_token import changes, cli, output, tokens
from kaltura_app_token.errors import UsageError


def main(argv: list[str] | None = None) -> int:
    p = cli.parser(__doc__)
    p.add_argument("id", help="the token to replace")
    p.add_argument("--save", metavar="FILE", help="write the new bundle here (mode 0600, never overwritten)")
    p.add_argument("--force", action="store_true", help="allow --save inside a git work tree")
    p.add_argument("--revoke-old", action="store_true", help="revoke the old token once the new one exists")
    p.add_argument("--yes", action="store_true", help="do not ask before revoking")
    args = p.parse_args(argv)
    return cli.run(lambda: rotate(args), args.debug)


def rotate(args: argparse.Namespace) -> int:
    if not args.save and not args.json:
        raise UsageError("give --save FILE for the new token's bundle (or --json to print it)")
    if args.save:
        output.check_private_target(args.save, args.force)
    if args.revoke_old and not args.yes:
        changes.confirm_possible()
    with cli.admin_session(args) as (settings, api):
        old = tokens.get(api, args.id)
        plan = changes.rotation_plan(old)
        new, bundle = cli.create_and_save(api, plan, settings, args.save, args.force)
        revoked = False
        if args.revoke_old and changes.confirm(
                f"Revoke the old token {old['id']} now? Every session it issued stops working.", args.yes):
            changes.revoke(api, [old["id"]], raise_errors=True)
            revoked = True
    if args.json:
        print(output.to_json({"old": old["id"], "new": bundle, "oldRevoked": revoked}))
    else:
        print(f"old token  {old['id']}  {'revoked' if revoked else 'still active'}")
        print(f"new token  {new['id']}")
    if not revoked:
        cli.say(f"when the holder uses the new token, revoke the old one: python revoke_token.py {old['id']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
