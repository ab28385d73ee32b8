"""Create a restricted, expiring Kaltura app token from settings.py (or one per user from a CSV).

Example:
  python create_token.py --save vendor-token.json
  python create_token.py --sandbox          # try it against a local stand-in
  python create_token.py --users instructors.csv --save instructor-tokens.csv
"""
from __future__ import annotations

import argparse
import sys

from kaltura_app_token import batch, cli, output, tokens
from kaltura_app_token.errors import UsageError


def main(argv: list[str] | None = None) -> int:
    p = cli.parser(__doc__)
    p.add_argument("--save", metavar="FILE", help="write the holder's bundle to FILE (mode 0600, never overwritten)")
    p.add_argument("--force", action="store_true", help="allow --save inside a git work tree")
    p.add_argument("--dry-run", action="store_true", help="run the checks and show what would be created")
    p.add_argument("--create-user", action="store_true", help="let Kaltura create apptoken_user if it is missing")
    p.add_argument("--users", metavar="CSV", help="one token per user: a CSV with user_id (and description) "
                   "columns; needs --save FILE.json or FILE.csv; run it again to resume")
    args = p.parse_args(argv)
    return cli.run(lambda: create_for_users(args) if args.users else create(args), args.debug)


def create_for_users(args: argparse.Namespace) -> int:
    if not args.save:
        raise UsageError("--users needs --save FILE.json or FILE.csv for the tokens it creates")
    rows = batch.read_users(args.users)
    previous = batch.check_results_file(args.save, args.force)
    with cli.admin_session(args, for_create=True) as (settings, api):
        plan = tokens.plan_from_settings(settings, user="")
        for warning in tokens.warnings_for(plan, per_user=True):
            cli.warn(warning)
        plan = tokens.check_on_server(api, plan, settings, args.create_user)
        for note in plan.notes:
            cli.say(note)
        settings = settings.with_changes(role_id=plan.role_ref)
        marker = batch.batch_marker(settings.partner_id, args.save)
        if args.dry_run:
            missing, existing = batch.check_users(api, batch.plans_for(settings, rows, marker), cli.say)
            print(f"Would create {len(rows) - len(existing)} tokens (dry run, nothing sent); {len(existing)} users "
                  f"already have one from this batch; {len(missing)} users do not exist yet")
            return 0
        outcome = batch.run(api, settings, rows, previous, marker, args.create_user, cli.say,
                            lambda records: batch.write_results(args.save, records))
    for note in outcome.notes:
        cli.say(note)
    if outcome.skipped:
        cli.say(f"skipped {outcome.skipped} users who already have a token from this batch")
    for user, error in outcome.failed.items():
        cli.say(f"error: user {user}: {error}")
    summary = {"created": outcome.created, "skipped": outcome.skipped, "failed": outcome.failed,
               "save": args.save, "tokens": len(outcome.records)}
    print(output.to_json(summary) if args.json else
          f"{outcome.created} created, {outcome.skipped} skipped, {len(outcome.failed)} failed; "
          f"{len(outcome.records)} tokens in {args.save} (mode 0600)")
    return 1 if outcome.failed else 0


def create(args: argparse.Namespace) -> int:
    if args.save:
        output.check_private_target(args.save, args.force)
    with cli.admin_session(args, for_create=True) as (settings, api):
        plan = tokens.plan_from_settings(settings)
        for warning in tokens.warnings_for(plan):
            cli.warn(warning)
        plan = tokens.check_on_server(api, plan, settings, args.create_user)
        for note in plan.notes:
            cli.say(note)
        role_names = {plan.role_ref: plan.role["name"]} if plan.role else None
        if args.dry_run:
            preview = tokens.preview(plan, settings)
            print(output.to_json(preview) if args.json else
                  "Would create (dry run, nothing sent):\n" + tokens.describe(preview, role_names))
            return 0
        token, bundle = cli.create_and_save(api, plan, settings, args.save, args.force)
        if args.json:
            print(output.to_json(bundle))
        else:
            print(f"Created app token {token['id']} on partner {token['partnerId']}.\n")
            print(tokens.describe(token, role_names))
            print("\nHand the holder, privately: partner id, service URL, token id, token and hash type"
                  + (f" (all in {args.save})." if args.save else " (or save them with --save FILE)."))
    return 0


if __name__ == "__main__":
    sys.exit(main())
