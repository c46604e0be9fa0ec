"""Reading requests: JSON bodies and query strings into models, every problem named in Chinese.

Status codes: 400 for a body that is not JSON at all (wrong content type, malformed, not UTF-8,
absurdly nested) and for bad query strings (like /summary); 422 for JSON that parses but does not
describe a valid request, with one message per bad field; 413 for a body over the limit.
"""

from __future__ import annotations

import json
import re

from pydantic import BaseModel, ValidationError
from werkzeug.exceptions import RequestEntityTooLarge

from dashboard import strings
from dashboard.web.api import ApiError, bad_query

# Reports are short; photos travel as URLs. Anything bigger is a mistake or an attack.
MAX_BODY_BYTES = 64 * 1024


class _Constant(ValueError):
    pass


def _reject_constant(name: str):
    # Python's json accepts NaN and Infinity; JSON does not.
    raise _Constant(strings.API_BAD_JSON_CONSTANT.format(name=name))


def _expected(text: str) -> str:
    """pydantic's list of allowed values (``'a', 'b' or 'c'``) in our words: ``a、b、c``."""
    values = re.findall(r"'([^']*)'", text)
    return strings.LIST_SEP.join(values) if values else text


def _message(err: dict, field: str) -> str:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind == "field_rule":
        return err["msg"]
    if kind == "string_pattern_mismatch":
        return strings.API_FIELD_PATTERNS.get(field, strings.API_FIELD_TEXT)
    if kind == "string_too_short" and ctx.get("min_length", 1) > 1:
        return strings.API_FIELD_MIN_LENGTH.format(n=ctx["min_length"])
    template = strings.API_FIELD_ERRORS.get(kind)
    if template is None:
        # pydantic's own sentence is English: our generic words instead (the field is named).
        return strings.API_FIELD_INVALID
    # Bounds read as written: 90, not 90.0.
    ctx = {k: int(v) if isinstance(v, float) and v.is_integer() else v for k, v in ctx.items()}
    if "expected" in ctx:
        ctx["expected"] = _expected(str(ctx["expected"]))
    try:
        return template.format(**ctx)
    except (KeyError, IndexError):
        return template


def field_errors(exc: ValidationError) -> dict[str, str]:
    """{field: reason} for every error; a nested field is named by its dotted path."""
    out: dict[str, str] = {}
    for err in exc.errors(include_url=False):
        ctx = err.get("ctx") or {}
        loc = [str(p) for p in err["loc"] if not str(p).startswith("function-")]
        # Union members add their type to the path (``lat.float``): name the field, not the member.
        loc = [p for p in loc if p not in ("str", "int", "float", "bool", "none", "url", "constrained-str")]
        field = ctx.get("field") or ".".join(loc) or "body"
        out.setdefault(field, _message(err, field))
    return out


NO_BODY = object()


def read_json(request, *, optional: bool = False):
    """The request body as parsed JSON (``NO_BODY`` for an empty optional body); ApiError otherwise."""
    try:
        raw = request.get_data(cache=True)
    except RequestEntityTooLarge:
        raise ApiError(413, strings.API_TOO_LARGE.format(limit=MAX_BODY_BYTES)) from None
    if not raw.strip():
        if optional:
            return NO_BODY
        raise ApiError(400, strings.API_BAD_CONTENT_TYPE)
    if request.mimetype != "application/json":
        raise ApiError(400, strings.API_BAD_CONTENT_TYPE)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ApiError(400, strings.API_BAD_ENCODING) from None
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except RecursionError:
        raise ApiError(400, strings.API_TOO_DEEP) from None
    except json.JSONDecodeError as exc:
        # The decoder's reason is English; where it stopped is what helps the client.
        where = strings.API_BAD_JSON_AT.format(line=exc.lineno, column=exc.colno)
        raise ApiError(400, strings.API_BAD_JSON.format(reason=where)) from None
    except _Constant as exc:
        raise ApiError(400, strings.API_BAD_JSON.format(reason=exc)) from None
    except ValueError:
        # The one other refusal of the decoder: an integer too long to convert (over 4300 digits).
        raise ApiError(400, strings.API_BAD_JSON.format(reason=strings.API_BAD_JSON_NUMBER)) from None


def validate_body(model: type[BaseModel], data):
    try:
        return model.model_validate({} if data is NO_BODY else data)
    except ValidationError as exc:
        raise ApiError(422, strings.API_INVALID, field_errors(exc)) from None


def validate_query(model: type[BaseModel], args):
    try:
        return model.model_validate({k: args.get(k) for k in args})
    except ValidationError as exc:
        raise bad_query(field_errors(exc)) from None
