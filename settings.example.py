# Settings for kaltura_app_token. Copy this file to settings.py and fill it in:
#     cp settings.example.py settings.py && chmod 600 settings.py
# settings.py holds the admin secret: never commit it (it is in .gitignore).
# Precedence: command-line flag > environment variable > this file > default.
# With --sandbox, these values (all but the secret and the URL) are used against a local stand-in.

# Your Kaltura partner id (KMC > Settings > Integration Settings). $KALTURA_PARTNER_ID wins.
partner_id = 1234567

# The admin secret of that partner: 32 hexadecimal characters. $KALTURA_ADMIN_SECRET wins.
# Leave it empty to be asked for it with a hidden prompt (when run from a terminal).
admin_secret = ""

# The admin user recorded in the admin session (shown in the token's description). $KALTURA_USER_ID wins.
userId = "admin@example.edu"

# The API host, without /api_v3: https://www.kaltura.com, a regional host such as
# https://api.ca.kaltura.com, or your self-hosted server. $KALTURA_SERVICE_URL wins.
service_url = "https://www.kaltura.com"

# The role every session from the token gets (setrole:). A numeric role id, or a role system name.
# getroleid.py finds ids by partial name; KMC does not show them.
role_id = "PLAYBACK_BASE_ROLE"

# A partial role name: getroleid.py searches for it; create_token.py uses it when role_id is empty
# and exactly one role matches.
role_name = ""

# ONE privacy context label (privacycontext:). Only one: the server splits privileges on commas,
# so "a,b" would give the token context "a" and a stray privilege "b".
privacy_context = "mediaspace"

# When the token stops working: a date ("2027-06-30", end of that day UTC), an ISO date-time
# ("2027-06-30T17:00:00Z"), a duration from now ("180d", "12h", "30m") or unix seconds.
# None means it never expires (you will be warned).
token_expiry = "180d"

# The user every session from the token acts as (sessionUserId). Use a service user, not a KMC admin.
# If the user does not exist, create_token.py refuses unless --create-user.
apptoken_user = ""

# How the holder hashes: MD5, SHA1, SHA256 or SHA512. SHA256 is recommended.
hash_type = "SHA256"

# USER (recommended) or ADMIN (warned: admin sessions see and change everything their role allows).
session_type = "USER"

# The longest a session (KS) from the token lives, in seconds.
session_duration = 86400

# Free text kept with the token; the tool adds who created it, for whom, when, and a marker.
description = "Integration token"

# Further KS privileges, comma-separated, e.g. "enableentitlement" or "sview:*". Checked against the
# names the server knows; setrole and privacycontext belong in the settings above.
extra_privileges = ""

# Seconds to wait for each HTTP request.
request_timeout = 30

# "local": sign the admin session here from the secret (no round trip, the secret never leaves this
# computer); "server": ask session.start for it.
admin_session = "local"
