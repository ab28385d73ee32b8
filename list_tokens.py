"""List the partner's app tokens (newest first), or show one in full.

Token values are masked unless --show-secrets.

Example:
  python list_tokens.py --expiring-within 30d
  python list_tokens.py 0_ab12cd34
  python list_tokens.py --user vendor-svc --csv > tokens.csv
"""
from __future__ import annotations

import argparse
import sys

from kaltura_app_token import cli, listing, output, tokens
from kaltura_app_token.errors import UsageError
from kaltura_app_token.expiry import parse_duration, parse_moment


def main(argv: list[str] | None = None) -> int:
    p = cli.parser(__doc__)
    p.add_argument("id", nargs="?", help="show this token in full")
    p.add_argument("--user", help="only tokens bound to this user id")
    p.add_argument("--created-since", metavar="WHEN", help="date, date-time, or duration ago (30d)")
    p.add_argument("--created-before", metavar="WHEN", help="date, date-time, or duration ago (30d)")
    p.add_argument("--expiring-within", metavar="DURATION", help="only tokens that expire within e.g. 30d")
    p.add_argument("--csv", action="store_true", help="print CSV records")
    p.add_argument("--show-secrets", action="store_true", help="print token values in full")
    args = p.parse_args(argv)
    return cli.run(lambda: list_tokens(args), args.debug)


def parse_filters(args: argparse.Namespace) -> listing.Filters:
    filters = listing.Filters(user=args.user)
    try:
        if args.created_since:
            filters.created_since = parse_moment(args.created_since)
        if args.created_before:
            filters.created_before = parse_moment(args.created_before)
    except ValueError as exc:
        raise UsageError(f"--created-since/--created-before: {exc}") from None
    if args.expiring_within:
        filters.expiring_within = parse_duration(args.expiring_within)
        if filters.expiring_within is None:
            raise UsageError(f"--expiring-within {args.expiring_within!r} must be a duration such as 30d, 12h or 2w")
    return filters


def list_tokens(args: argparse.Namespace) -> int:
    filters = parse_filters(args)
    with cli.admin_session(args) as (settings, api):
        if args.id:
            token, names = listing.fetch_one(api, args.id)
        else:
            found, all_roles = listing.fetch(api, filters)
            names = listing.role_names(all_roles)
    if args.id:
        if args.json:
            print(output.to_json(listing.shown(token, args.show_secrets)))
        else:
            print(tokens.describe(token, names, show_token=args.show_secrets))
        return 0
    if args.json:
        print(output.to_json([listing.shown(t, args.show_secrets) for t in found]))
    elif args.csv:
        sys.stdout.write(output.to_csv(listing.CSV_HEADERS, listing.csv_rows(found, names, args.show_secrets)))
    elif found:
        print(output.table(listing.HEADERS, listing.table_rows(found, names)))
    cli.say(f"{len(found)} active token{'s' if len(found) != 1 else ''} on partner {settings.partner_id}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
