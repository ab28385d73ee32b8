"""Change an app token: expiry, description, role, privacy context, privileges, user, duration, types.

Shows before -> after and sends only what changed. Privileges are rebuilt from the token's
current ones plus the changes (--role "" removes the role).

Example:
  python update_token.py 0_ab12cd34 --expiry 2027-06-30 --dry-run
  python update_token.py 0_ab12cd34 --role 12345 --privacy-context lectures
"""
from __future__ import annotations

import argparse
import sys

from kaltura_app_token import changes, cli, output


def main(argv: list[str] | None = None) -> int:
    p = cli.parser(__doc__)
    p.add_argument("id", help="the token to change")
    p.add_argument("--expiry", help='a date, date-time, duration (180d), unix seconds, or "never"')
    p.add_argument("--description")
    p.add_argument("--role", help="role id or system name for setrole (\"\" removes it)")
    p.add_argument("--privacy-context", help="one privacy context (\"\" removes it)")
    p.add_argument("--extra-privileges", help="the other privileges, replacing the current ones")
    p.add_argument("--user", help="sessionUserId (\"\" removes it)")
    p.add_argument("--create-user", action="store_true", help="let Kaltura create --user if it is missing")
    p.add_argument("--session-duration", help="seconds a KS lives at most")
    p.add_argument("--session-type", help="USER or ADMIN")
    p.add_argument("--hash-type", help="MD5, SHA1, SHA256 or SHA512")
    p.add_argument("--dry-run", action="store_true", help="show the change, send nothing")
    args = p.parse_args(argv)
    return cli.run(lambda: update(args), args.debug)


def update(args: argparse.Namespace) -> int:
    wanted = changes.check_requested(changes.Requested(
        expiry=args.expiry, description=args.description, role=args.role, privacy_context=args.privacy_context,
        extra_privileges=args.extra_privileges, user=args.user, session_duration=args.session_duration,
        session_type=args.session_type, hash_type=args.hash_type))
    with cli.admin_session(args) as (settings, api):
        token = changes.fetch_with_checks(api, args.id, wanted.get("role"), wanted.get("user"), args.create_user,
                                          settings.partner_id)
        plan = changes.plan_update(token, wanted)
        for warning in plan.warnings:
            cli.warn(warning)
        if not plan.send:
            cli.say(f"nothing to change on {args.id}")
            return 0
        if not args.dry_run:
            after = changes.send_update(api, args.id, plan.send)
    if args.json:
        print(output.to_json({"id": args.id, "dryRun": args.dry_run,
                              "changes": {name: {"before": b, "after": a} for name, b, a in plan.shown}}))
    else:
        print(f"{'Would change' if args.dry_run else 'Changed'} {args.id}:")
        print(output.table(("field", "before", "after"), plan.shown))
        if args.dry_run:
            cli.say("dry run: nothing was sent")
        elif after["sessionPrivileges"] != (plan.send.get("sessionPrivileges") or after["sessionPrivileges"]):
            cli.warn("the server holds different privileges than were sent")
    return 0


if __name__ == "__main__":
    sys.exit(main())
