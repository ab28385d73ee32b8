"""Request arguments -> typed values, as KalturaRequestDeserializer does (notes §1.2)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from . import clock
from .errors import APIError
from .schema import CLASSES, ENUMS_INT, ENUMS_STR

MAX_RELATIVE_TIME = 315360000

# Characters outside XML 1.0 (tab, LF and CR allowed).
_BAD_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_INT_PREFIX = re.compile(r"\s*([+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?)")


class Null:
    """A property sent as `name__null`: an update writes NULL."""

    def __repr__(self) -> str:
        return "NULL"


NULL = Null()


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: Any = None
    mandatory: bool = False


def php_int(value: Any) -> int:
    """PHP (int) cast of a request string: leading number, else 0."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float)):
        return int(value)
    if value is None:
        return 0
    match = _INT_PREFIX.match(str(value))
    if not match:
        return 0
    try:
        return int(float(match.group(1))) if any(c in match.group(1) for c in ".eE") else int(match.group(1))
    except (ValueError, OverflowError):
        return 0


def php_bool(value: Any) -> bool:
    if isinstance(value, str):
        if value.lower() == "false":
            return False
        return value not in ("", "0")
    return bool(value)


def relative_time(value: Any, now: int | None = None) -> int:
    if value is None or value == "":
        return 0
    number = php_int(value)
    if number == -1:
        return -1
    if abs(number) <= MAX_RELATIVE_TIME:
        return (int(clock.now()) if now is None else now) + number
    return number


def clean_string(value: Any, field: str) -> str:
    if value is None or isinstance(value, (dict, list)):
        value = ""
    text = str(value)
    if _BAD_XML_CHARS.search(text):
        raise APIError("INVALID_PARAMETER_CHAR", field)
    return text


def cast(type_: str, value: Any, name: str) -> Any:
    """Cast one scalar the way the server does; enums validated."""
    if type_ == "string":
        return clean_string(value, name)
    if type_ == "int":
        return php_int(value)
    if type_ == "bool":
        return php_bool(value)
    if type_ == "time":
        return relative_time(value)
    if type_ in ENUMS_INT:
        raw = value
        if isinstance(raw, str) and raw.lower() in ("true", "false"):
            raw = "1" if raw.lower() == "true" else "0"
        try:
            number = float(raw)
        except (TypeError, ValueError):
            number = None
        if number is None or number not in ENUMS_INT[type_].values():
            raise APIError("INVALID_ENUM_VALUE", value, name, type_)
        return int(number)
    if type_ in ENUMS_STR:
        if str(value) not in ENUMS_STR[type_]:
            raise APIError("INVALID_ENUM_VALUE", value, name, type_)
        return str(value)
    return value


def to_object(class_name: str, value: Any, param_name: str) -> dict[str, Any]:
    """A request map -> {property: value} for the sent properties only."""
    if not isinstance(value, dict):
        raise APIError("PROPERTY_VALIDATION_WRONG_FORMAT", param_name, "array")
    out: dict[str, Any] = {}
    for prop in CLASSES[class_name]:
        if prop.type in ("ignored", "array"):
            continue
        if f"{prop.name}__null" in value:
            out[prop.name] = NULL
        elif prop.name in value and value[prop.name] is not None:
            raw = value[prop.name]
            if raw == "" and (class_name.endswith("Filter") or prop.type in ENUMS_INT or prop.type in ENUMS_STR):
                continue
            out[prop.name] = cast(prop.type, raw, prop.name)
    return out


def deserialize(params: dict[str, Any], signature: list[Param]) -> dict[str, Any]:
    """Action arguments from request params; optional scalars get their cast default."""
    args: dict[str, Any] = {}
    for p in signature:
        present = p.name in params and params[p.name] is not None
        if p.type in CLASSES:
            if not present or params[p.name] == "":
                if p.mandatory:
                    raise APIError("MISSING_MANDATORY_PARAMETER", p.name)
                args[p.name] = None
            else:
                args[p.name] = to_object(p.type, params[p.name], p.name)
            continue
        if not present:
            if p.mandatory:
                raise APIError("MISSING_MANDATORY_PARAMETER", p.name)
            args[p.name] = cast(p.type, p.default, p.name) if p.type not in ENUMS_INT else php_int(p.default)
            continue
        args[p.name] = cast(p.type, params[p.name], p.name)
    return args
