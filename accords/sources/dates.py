"""Publication dates as articles and corpora give them: ISO first, then any wording dateparser knows."""
from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache
from typing import Any

_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def parse_published(value: Any) -> tuple[date | None, str | None]:
    """(date, precision) for a publication date; the date is kept only when it names a day.

    "2025-11-06" and "November 6, 2025" give (2025-11-06, "day"); "2025-11" and
    "November 2025" give (None, "month"); "2025" gives (None, "year"); None or
    "" give (None, None). Raises ValueError for anything else.
    """
    if value is None:
        return None, None
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise ValueError(f"expected a date string, got {type(value).__name__}")
    text = value.strip()
    if not text:
        return None, None
    m = _ISO.match(text)
    if m:
        year, month, day = int(m[1]), int(m[2] or 1), int(m[3] or 1)
        date(year, month, day)  # ValueError for 2025-13 or 2025-02-30
        if m[3]:
            return date(year, month, day), "day"
        return None, "month" if m[2] else "year"
    try:  # ISO date-time: the day as written (the outlet's local date)
        return datetime.fromisoformat(text).date(), "day"
    except ValueError:
        pass
    found = _parser().get_date_data(text)
    if found.date_obj is None:
        raise ValueError(f"not a date: {text!r}")
    if found.period in ("month", "year"):
        return None, found.period
    return found.date_obj.date(), "day"


@lru_cache(maxsize=1)
def _parser():
    # Imported on first use: dateparser takes a second or two to load, and most inputs are ISO.
    from dateparser.date import DateDataParser

    # No relative dates ("yesterday" would be read against today, not the article's day).
    return DateDataParser(settings={"PARSERS": ["timestamp", "custom-formats", "absolute-time"],
                                    "PREFER_DAY_OF_MONTH": "first"})
