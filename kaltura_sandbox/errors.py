"""Kaltura API errors as the server raises them: CODE;ARG_NAMES;message template."""
from __future__ import annotations

import re

# Each entry is the server's constant, split: code, argument names, message template.
CATALOGUE: dict[str, tuple[tuple[str, ...], str]] = {
    "APP_TOKEN_ID_NOT_FOUND": (("ID",), 'Application token id "@ID@" not found'),
    "APP_TOKEN_NOT_ACTIVE": (("ID",), 'Application token id "@ID@" not active'),
    "APP_TOKEN_EXPIRED": (("ID",), 'Application token id "@ID@" expired'),
    "INVALID_APP_TOKEN_HASH": ((), "Invalid application token hash"),
    "INVALID_KS": (("KSID", "ERR_CODE", "ERR_DESC"), 'Invalid KS "@KSID@", Error "@ERR_CODE@,@ERR_DESC@"'),
    "MISSING_KS": ((), "Missing KS, session not established"),
    "SERVICE_FORBIDDEN": (("SERVICE",), "The access to service [@SERVICE@] is forbidden"),
    "SERVICE_FORBIDDEN_CONTENT_BLOCKED": (
        (), "The access to this service is forbidden since the specified partner is blocked"),
    "USER_BLOCKED": ((), "this user is blocked"),
    "START_SESSION_ERROR": (("PID",), "Error while starting session for partner [@PID@]"),
    "INVALID_WIDGET_ID": (("WIDGET_ID",), "Unknown widget [@WIDGET_ID@]"),
    "PARTNER_ACCESS_FORBIDDEN": (
        ("ACCESSING_PID", "ACCESSED_PID"), "Partner [@ACCESSING_PID@] cannot access partner [@ACCESSED_PID@]"),
    "UNKNOWN_ROLE_ID": ((), "Unknown role id"),
    "INVALID_SET_ROLE": ((), "Invalid set role id"),
    "INVALID_OBJECT_ID": (("ID",), "Invalid object id [@ID@]"),
    "INVALID_ACTIONS_LIMIT": ((), "Invalid actions limit"),
    "INVALID_ENUM_VALUE": (
        ("ENUM_VAL", "PARAM_NAME", "ENUM_TYPE"),
        'Invalid enumeration value "@ENUM_VAL@" for parameter "@PARAM_NAME@", '
        'expecting enumeration type "@ENUM_TYPE@"'),
    "MISSING_MANDATORY_PARAMETER": (("PARAM_NAME",), 'Missing parameter "@PARAM_NAME@"'),
    "INVALID_PARAMETER_CHAR": (("XML_FIELD",), 'Invalid char in "@XML_FIELD@" field'),
    "INVALID_FIELD_VALUE": (("FIELD_NAME",), "value in field [@FIELD_NAME@] is not valid"),
    "PROPERTY_VALIDATION_NOT_UPDATABLE": (("PROP_NAME",), 'The property "@PROP_NAME@" cannot be updated'),
    "PROPERTY_VALIDATION_CANNOT_BE_NULL": (("PROP_NAME",), 'The property "@PROP_NAME@" cannot be null'),
    "PROPERTY_VALIDATION_WRONG_FORMAT": (
        ("PROP_NAME", "FORMAT"), 'The property "@PROP_NAME@" must match format @FORMAT@'),
    "SERVICE_NOT_SPECIFIED": ((), "Service name was not specified, please specify one"),
    "SERVICE_DOES_NOT_EXISTS": (("SRV_NAME",), 'Service "@SRV_NAME@" does not exists'),
    "ACTION_NOT_SPECIFIED": ((), "Action name was not specified, please specify one"),
    "ACTION_DOES_NOT_EXISTS": (
        ("ACTION_NAME", "SERVICE_NAME"), 'Action "@ACTION_NAME@" does not exists for service "@SERVICE_NAME@"'),
    "ROLE_NAME_ALREADY_EXISTS": ((), "A role with the same name already exists"),
    "SYSTEM_NAME_ALREADY_EXISTS": (("SYS_NAME",), "System name [@SYS_NAME@] already exists"),
    "ROLE_IS_BEING_USED": ((), "Role is being used"),
    "INVALID_USER_ID": ((), "Invalid user id"),
    "DUPLICATE_USER_BY_ID": (("UID",), "User with id [@UID@] already exists in system"),
    "INTERNAL_SERVERL_ERROR": ((), "Internal server error occurred"),
    "INTERNAL_DATABASE_ERROR": ((), "Internal database error"),
    "UNKNOWN_RESPONSE_FORMAT": (("FORMAT",), "Response format provided [@FORMAT@] is not recognized by server"),
}

_TAGS = re.compile(r"<[^>]*>")


class APIError(Exception):
    """A KalturaAPIException: serialized into the response, never an HTTP error."""

    def __init__(self, code: str, *values: object) -> None:
        names, template = CATALOGUE[code]
        self.code = code
        self.args_list: list[tuple[str, str]] = []
        message = template
        for i, name in enumerate(names):
            value = values[i] if i < len(values) and values[i] is not None else "N/A"
            text = _TAGS.sub("", str(value))
            self.args_list.append((name, text))
            message = message.replace(f"@{name}@", text)
        self.message = message
        super().__init__(f"{code}: {message}")


def invalid_ks(ksid: str) -> APIError:
    """The API reports every KS failure as -1/INVALID_STR; the reason is in KSID."""
    return APIError("INVALID_KS", ksid, -1, "INVALID_STR")
