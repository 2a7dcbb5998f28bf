"""schemathesis hooks for the API fuzz: what the document cannot state, and only that.

- A cron expression is a string whose validity is a computation (croniter), so the document
  marks it ``format: cron`` and the fuzzer draws real ones here (schema-violating values still
  come from the schema).
- A schedule's anchor must lie between 1970 and ten years from TODAY: a bound that moves with
  the clock, which no schema can carry. Valid times are drawn from those years (the API's other
  times are query filters, where any year is as good; invalid ones still come from the schema).
- A page cursor is valid when a list gave it out (its kind and sort key decode), which no
  schema can state: the document marks it ``format: run-cursor`` / ``deployment-cursor`` and
  valid ones are made here from random keys.
- A body field naming a file under the root or a deployment is refused (422 naming the field)
  when nothing by that name exists, which schema-valid random text never does; and run
  parameters are checked against the notebook's parameters cell or the flow's signature (422
  with the names as ``detail``), which the document cannot list.
- A sweep's grid may not have more combinations than a sweep has members: a product of the
  lists' lengths, which no schema can bound.
"""

from __future__ import annotations

import datetime as dt

import schemathesis
from hypothesis import strategies as st

from orchestr_lab.core.page_cursor import deployment_cursor, run_cursor

_FIELD = {
    "minute": st.sampled_from(["*", "0", "5", "30", "59", "*/15", "0,30", "10-20"]),
    "hour": st.sampled_from(["*", "0", "9", "23", "*/6", "8-18"]),
    "day": st.sampled_from(["*", "1", "15", "28", "*/2"]),
    "month": st.sampled_from(["*", "1", "6", "12", "*/3", "jan"]),
    "weekday": st.sampled_from(["*", "0", "1-5", "6", "mon", "sun"]),
}

schemathesis.openapi.format("cron", st.tuples(*_FIELD.values()).map(" ".join))
schemathesis.openapi.format(
    "timezone", st.sampled_from(["UTC", "Europe/Paris", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"])
)

_UTC_TIMES = st.datetimes(
    min_value=dt.datetime(1971, 1, 1), max_value=dt.datetime(2200, 1, 1), timezones=st.just(dt.timezone.utc)
)
schemathesis.openapi.format("run-cursor", st.builds(run_cursor, _UTC_TIMES, st.uuids().map(str)))
schemathesis.openapi.format(
    "deployment-cursor",
    st.builds(deployment_cursor, st.text(st.characters(min_codepoint=32, max_codepoint=126), min_size=1, max_size=100)),
)

#: Times in the years a schedule's anchor may take today (1970 .. ten years ahead, with margins).
_OFFSETS = [dt.timezone.utc, dt.timezone(dt.timedelta(hours=5, minutes=30)), dt.timezone(dt.timedelta(hours=-8))]
schemathesis.openapi.format(
    "date-time",
    st.datetimes(
        min_value=dt.datetime(1971, 1, 1),
        max_value=dt.datetime(dt.date.today().year + 8, 12, 31),
        timezones=st.sampled_from(_OFFSETS),
    ).map(dt.datetime.isoformat),
)


#: Body fields whose value must name something that exists: a file under the server root, a
#: deployment. Schema-valid text almost never does, and the server refuses such a request with
#: a 422 naming the field: right, but beyond what a schema can say.
_NAMES_SOMETHING = frozenset({"notebook", "entrypoint", "deployment_id", "target_deployment_id"})


def _other_pool_type(item: object) -> bool:
    """A job variable of another pool type (``dask_address`` for a process pool): which ones a
    deployment or run takes depends on its pool's type, stored elsewhere, so the document lists
    every type's and the server answers 422 naming the variable, as it must."""
    return (
        isinstance(item, dict)
        and len(item.get("loc") or ()) == 2
        and item["loc"][0] == "job_variables"
        and item.get("msg") == "Extra inputs are not permitted"
    )


def _grid_too_large(item: object) -> bool:
    """A sweep grid of more combinations than a sweep may have members: a product of the lists'
    lengths, which no schema can bound (each list alone may be long)."""
    return isinstance(item, dict) and not item.get("loc") and "combinations" in str(item.get("msg"))


@schemathesis.hook
def filter_failure(context: object, failure: object, case: object, response: object) -> bool:
    """Keep every failure except a valid request refused ONLY because such a field names nothing."""
    if getattr(failure, "code", None) != "ST202" or getattr(response, "status_code", None) != 422:
        return True
    try:
        detail = response.json().get("detail")  # type: ignore[attr-defined]
    except (ValueError, AttributeError):
        return True
    if isinstance(detail, dict) and detail and response.json()["error"].startswith("Invalid parameters"):
        return False  # the notebook's or flow's own parameters refused these (ParameterTypeError)
    if not isinstance(detail, list) or not detail:
        return True
    return not all(
        _other_pool_type(item)
        or _grid_too_large(item)
        or (isinstance(item, dict) and item.get("loc") and item["loc"][0] in _NAMES_SOMETHING and len(item["loc"]) == 1)
        for item in detail
    )
