"""The API's bounds, in one place: how long, how many, how large anything a client sends may be.

Every request model (``core.schemas*``) builds its fields from the types below, so a bound
is stated once, checked by pydantic (a 422 naming the field) and shown in the OpenAPI document.
Strings refuse the NUL character (PostgreSQL text cannot hold it), numbers are finite and
small enough for the store's columns, lists and objects have a length. The sizes follow the
store's columns where there is one (a deployment name is ``VARCHAR(200)``).
"""

from __future__ import annotations

import datetime as _dt
import functools
import math
import re
from collections.abc import Callable
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, Strict, StrictBool, StringConstraints

__all__ = [
    "DEFAULT_MAX_REQUEST_BYTES",
    "DEFAULT_MAX_UPLOAD_BYTES",
    "ENTRYPOINT",
    "FUNCTION_NAME",
    "HTTP_URL",
    "MAX_CONCURRENCY",
    "MAX_COUNT",
    "MAX_CRON",
    "MAX_CURSOR",
    "MAX_EPOCH_SECONDS",
    "MAX_FIELDS",
    "MAX_ITEMS",
    "MAX_JSON_DEPTH",
    "MAX_KEY",
    "MAX_MESSAGE",
    "MAX_NAME",
    "MAX_PATH",
    "MAX_PATH_PARAM",
    "MAX_QUEUE_NAME",
    "MAX_RETRIES",
    "MAX_SCHEDULES",
    "MAX_SECONDS",
    "MAX_STATE_NAME",
    "MAX_TEXT",
    "MAX_URL",
    "MIN_INTERVAL_SECONDS",
    "PY_FILE",
    "Concurrency",
    "CronText",
    "Cursor",
    "Description",
    "EpochSeconds",
    "Flag",
    "IsoTime",
    "JsonObject",
    "KeepLast",
    "Key",
    "Label",
    "Message",
    "Name",
    "PathText",
    "QueueName",
    "RetentionDays",
    "Retries",
    "RunCount",
    "SearchText",
    "Seconds",
    "StateName",
    "TagLimit",
    "Tags",
    "TimeZone",
    "Url",
    "bounded_list",
    "http_url",
    "integer",
    "json_depth",
    "known_zone",
    "no_nul",
    "time_zones",
]

# -- the numbers -------------------------------------------------------------------------------

#: Request bodies (``OrchestrLabApp.max_request_bytes``) and executed notebooks uploaded by remote
#: workers (``max_upload_bytes``: executed notebooks carry their outputs, so they are large).
DEFAULT_MAX_REQUEST_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_UPLOAD_BYTES = 100 * 1024 * 1024
#: Nesting of a JSON body: deeper is a 400 (Python's parser would hit its recursion limit near 1,000).
MAX_JSON_DEPTH = 64

#: Names: deployments and automations (their columns are VARCHAR(200)).
MAX_NAME = 200
#: Work queue names (VARCHAR(100)).
MAX_QUEUE_NAME = 100
#: Tags, workers, flows, runs, ids-or-names in a body (VARCHAR(255)).
MAX_KEY = 255
#: A state's name ("Late", "AwaitingRetry": VARCHAR(64)); time zones likewise.
MAX_STATE_NAME = 64
#: A path in a URL: longer than any name or id, so nothing by that id can exist (404).
MAX_PATH_PARAM = 255
#: A path under the server root (Linux's PATH_MAX).
MAX_PATH = 4096
MAX_URL = 2048
MAX_CRON = 255
#: Descriptions.
MAX_TEXT = 64 * 1024
#: A state's message (a traceback's last lines, a cell's error).
MAX_MESSAGE = 1024 * 1024

#: Schedules of one deployment: each is computed on every read and every scheduler pass.
MAX_SCHEDULES = 50
#: Items of the other lists (tags, queues, runs in a heartbeat, states).
MAX_ITEMS = 1000
#: Keys of a JSON object a client sends (parameters, state details, run fields).
MAX_FIELDS = 1000

#: Offsets and cursors: JavaScript's largest exact integer, far beyond any store, far below 2**63.
MAX_CURSOR = 2**53 - 1
MAX_RETRIES = 1000
#: Counters stored in INTEGER columns (a run's attempts).
MAX_COUNT = 2**31 - 1
MAX_CONCURRENCY = 1_000_000
#: Durations (retry delays, timeouts, schedule intervals): ten years.
MAX_SECONDS = 10 * 365.25 * 86400
#: The shortest schedule interval: a schedule firing more often would flood the store.
MIN_INTERVAL_SECONDS = 1.0
#: A state's timestamp: from the epoch to the start of the year 2200.
MAX_EPOCH_SECONDS = 7_258_118_400


# -- the checks ----------------------------------------------------------------------------------


def no_nul(value: str) -> str:
    """Refuse the NUL character: PostgreSQL text and file names cannot hold it."""
    if "\x00" in value:
        raise ValueError("must not contain a NUL character (\\u0000)")
    return value


def json_depth(value: Any, *, limit: int = MAX_JSON_DEPTH) -> int:
    """How deeply ``value``'s lists and objects nest (without recursion); stops past ``limit``."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        deepest = max(deepest, depth)
        if deepest > limit:
            return deepest
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return deepest


def _iso_time(value: Any) -> Any:
    """Times are ISO-8601 text (as documented), not numbers pydantic would read as epoch seconds."""
    if isinstance(value, _dt.datetime):
        return value
    if not isinstance(value, str) or value.strip().lstrip("+-").replace(".", "", 1).isdigit():
        raise ValueError("must be an ISO-8601 time such as 2030-01-01T12:00:00Z")
    return value


def _whole_number(value: Any) -> Any:
    """``3.0`` is the integer 3 (JSON Schema's ``integer`` includes it); ``true`` and ``"3"`` are not."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _json_values(value: dict[str, Any]) -> dict[str, Any]:
    """A JSON object: names without NUL (they become parameter names, columns' keys) and finite
    numbers all the way down (JSON has no ``Infinity``). Keys nested deeper are the client's data
    (the store keeps JSON text, which holds any key), as the document says."""
    for key in value:
        if isinstance(key, str) and "\x00" in key:
            raise ValueError("keys must not contain a NUL character (\\u0000)")
    stack: list[Any] = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, float) and not math.isfinite(item):
            raise ValueError("numbers must be finite (JSON has no Infinity or NaN)")
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
    return value


#: What a webhook URL looks like: http(s), a host, no blanks or control characters anywhere.
HTTP_URL = r"^https?://[^\s/?#\x00]+([/?#][^\s\x00]*)?$"
#: A flow function's name, and ``path/to/file.py:flow_function`` (ASCII names, as JSON Schema's
#: ECMA regexes read them).
FUNCTION_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
ENTRYPOINT = rf"^[^\x00]*\.py:{FUNCTION_NAME}$"
#: A Python file's path.
PY_FILE = r"^[^\x00]*\.py$"


def http_url(value: str) -> str:
    if not re.fullmatch(HTTP_URL, value):
        raise ValueError("must be an http:// or https:// URL (no blanks)")
    return value


_NO_NUL = AfterValidator(no_nul)
# Shown in the OpenAPI document, so generated clients (and fuzzers) know NUL is refused.
_NO_NUL_SCHEMA = Field(json_schema_extra={"pattern": "^[^\\x00]*$"})


def _text(max_length: int, *, min_length: int = 0) -> Any:
    """Bounded text without NUL."""
    return Annotated[str, StringConstraints(min_length=min_length, max_length=max_length), _NO_NUL, _NO_NUL_SCHEMA]


class _Documented:
    """What the OpenAPI document says of a type, computed when the document is built (not at
    import): for values a pattern or lengths cannot describe (a time zone, a cron expression),
    so generated clients and fuzzers send real ones. The type's validators still check them."""

    def __init__(self, schema: Callable[[], dict[str, Any]]) -> None:
        self.schema = schema

    def __get_pydantic_json_schema__(self, core_schema: Any, handler: Any) -> dict[str, Any]:
        return self.schema()


@functools.lru_cache(maxsize=1)
def time_zones() -> frozenset[str]:
    """The IANA time zones this machine knows (what the document lists and the models accept)."""
    from zoneinfo import available_timezones

    return frozenset(available_timezones())


def known_zone(value: str) -> str:
    if value not in time_zones():
        raise ValueError(f"Unknown time zone {value[:MAX_STATE_NAME]!r} (an IANA name such as Europe/Paris)")
    return value


# -- the types ---------------------------------------------------------------------------------

#: A deployment's or automation's name.
Name = _text(MAX_NAME, min_length=1)
#: A work queue's name.
QueueName = _text(MAX_QUEUE_NAME, min_length=1)
#: Tags, worker/flow/run names, ids or names of other resources.
Key = _text(MAX_KEY, min_length=1)
StateName = _text(MAX_STATE_NAME, min_length=1)
#: Short labels stored in VARCHAR(64)-sized columns (a worker's type).
Label = _text(MAX_STATE_NAME, min_length=1)
TimeZone = Annotated[
    str, AfterValidator(known_zone), _Documented(lambda: {"type": "string", "enum": sorted(time_zones())})
]
#: (The cron syntax itself is checked where the schedule is built. The text's bounds are written
#: out: ``_text(...)`` inside ``Annotated`` is no type to a type checker.)
CronText = Annotated[
    str,
    StringConstraints(min_length=1, max_length=MAX_CRON),
    _NO_NUL,
    _NO_NUL_SCHEMA,
    _Documented(
        lambda: {
            "type": "string",
            "format": "cron",
            "description": f"a cron expression (croniter's syntax), at most {MAX_CRON} characters",
        }
    ),
]
Url = Annotated[
    str, StringConstraints(max_length=MAX_URL), AfterValidator(http_url), Field(json_schema_extra={"pattern": HTTP_URL})
]
#: A path relative to the server root (the file system checks it further where it is used).
PathText = _text(MAX_PATH, min_length=1)
Description = _text(MAX_TEXT)
Message = _text(MAX_MESSAGE)
#: Free text of a query (a name to search for).
SearchText = _text(MAX_KEY)

#: A query's offset or cursor (read from the URL's text, so not strict).
Cursor = Annotated[int, Field(ge=0, le=MAX_CURSOR)]
# Numbers and flags in a body are strict: JSON ``true`` is not 1, ``"3"`` is not 3, 3.5 is not 3
# (an integer is still a number). A client sending the wrong type learns it, as the OpenAPI
# document promises.
Flag = StrictBool


def integer(*, ge: int, le: int) -> Any:
    """A strict integer from ``ge`` to ``le`` (the bounds belong here, inside the type: given on
    the field they would not reach the document past the whole-number conversion)."""
    return Annotated[int, Strict(), Field(ge=ge, le=le), BeforeValidator(_whole_number)]


Retries = integer(ge=0, le=MAX_RETRIES)
#: Runs at once (a queue's or deployment's limit); a tag's limit may be 0, which holds them all.
Concurrency = integer(ge=1, le=MAX_CONCURRENCY)
#: Members of one sweep running at once.
SweepParallel = integer(ge=1, le=64)
#: A deployment's own retention (null: the server's settings): days its finished runs are kept,
#: and how many of its newest finished runs are kept whatever their age.
RetentionDays = integer(ge=1, le=36_500)
KeepLast = integer(ge=0, le=1_000_000)
TagLimit = integer(ge=0, le=MAX_CONCURRENCY)
RunCount = integer(ge=0, le=MAX_COUNT)
Seconds = Annotated[float, Strict(), Field(le=MAX_SECONDS, allow_inf_nan=False)]
EpochSeconds = Annotated[float, Strict(), Field(ge=0, le=MAX_EPOCH_SECONDS, allow_inf_nan=False)]

IsoTime = Annotated[_dt.datetime, BeforeValidator(_iso_time)]


#: Parameters, state details, run fields: string keys, finite numbers, a bounded number of keys.
#: (``_json_values`` refuses NUL in the keys; pydantic would document a key pattern as
#: ``patternProperties``, which allows other keys, so the document gets ``propertyNames`` here.)
def _key_names(schema: dict[str, Any]) -> None:
    schema.pop("patternProperties", None)
    schema["propertyNames"] = {"maxLength": MAX_KEY, "pattern": "^[^\\x00]*$"}


JsonObject = Annotated[
    dict[Annotated[str, StringConstraints(max_length=MAX_KEY)], Any],
    Field(max_length=MAX_FIELDS, json_schema_extra=_key_names),
    AfterValidator(_json_values),
]
Tags = Annotated[list[Key], Field(max_length=MAX_ITEMS)]  # type: ignore[valid-type]


def bounded_list(item: Any, *, max_length: int = MAX_ITEMS, min_length: int = 0) -> Any:
    """``list[item]`` of at most ``max_length`` items."""
    return Annotated[list[item], Field(min_length=min_length, max_length=max_length)]
