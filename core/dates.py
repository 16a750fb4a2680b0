"""The paper's clock: every time a reader or a machine sees is Điện Biên's (settings.TIME_ZONE,
Asia/Ho_Chi_Minh, UTC+7), whatever time zone a request or the database works in."""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings


def paper_time(value: datetime.datetime) -> datetime.datetime:
    """`value` (aware) on the paper's clock: 02:00 UTC -> 09:00+07:00."""
    return value.astimezone(ZoneInfo(settings.TIME_ZONE))


def paper_isoformat(value: datetime.datetime) -> str:
    """ISO 8601 with the paper's offset, to the second: "2026-02-10T09:00:00+07:00"."""
    return paper_time(value).isoformat(timespec="seconds")


def gmt_label(value: datetime.datetime) -> str:
    """The paper's offset at `value` as Vietnamese papers print it: "GMT+7"."""
    offset = paper_time(value).utcoffset() or datetime.timedelta(0)
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"GMT{sign}{hours}" + (f":{rest:02d}" if rest else "")
