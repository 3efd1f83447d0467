"""Find date expressions in a sentence and resolve them against the publication date.

dateparser resolves absolute and most relative expressions and tells their
period (day, month, year). What it does not do is written here by hand:
finding the expressions in running text (dateparser's search_dates is slow and
eager: it reads "May" and "March" as dates in any sentence), weekdays that may
mean the publication day itself ("will welcome X on Thursday", published on
a Thursday), "next/last <month>", and "earlier/later this year".
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December|"
          "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec")
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_M = rf"(?:{MONTHS})\.?"
_D = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
_Y = r"(?:1[89]\d\d|20\d\d)"

_PATTERNS = [
    rf"\b{_M}\s+{_D},?\s+{_Y}\b",  # September 22, 2020
    rf"\b{_D}\s+(?:of\s+)?{_M},?\s+{_Y}\b",  # 22 September 2020
    rf"\b(?:early|mid|late)[- ]{_M}\s+{_Y}\b",  # mid-September 2020
    rf"\b{_M},?\s+{_Y}\b",  # September 2020
    rf"\b(?:early|mid|late)[- ]{_Y}\b",  # mid-2023
    rf"\b(?:next|last|this|past|coming)\s+{_M}(?!\w)",  # next January
    rf"\b{_M}\s+{_D}\b(?!,?\s*{_Y})",  # November 3
    rf"\b{_D}\s+(?:of\s+)?{_M}(?!\w)(?!,?\s*{_Y})",  # 1 January
    r"(?<=\b[Ii]n )(?:January|February|March|April|June|July|August|September|October|November|December)\b(?!,?\s*\d)",  # in October
    r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b",
    r"\b(?:yesterday|today|tomorrow)\b",
    r"\b(?:last|this|next|past|coming)\s+(?:week|month|year)\b",
    r"\b(?:earlier|later)\s+this\s+(?:week|month|year)\b",
    r"\b(?:a|one|two|three|\d+)\s+(?:days?|weeks?|months?|years?)\s+ago\b",
    r"\b(?:a|one|two|three|four|five|\d+)\s+(?:months?|years?)\s+later\b",
    rf"\b{_Y}s?\b",  # 1992, 1990s
]
_DATE_RE = re.compile("|".join(f"(?:{p})" for p in _PATTERNS), re.IGNORECASE)
# Words before a date that tell its role for the event.
_ROLE_RE = re.compile(r"\b(since|from|until|till|through|starting|effective|as of)\s+(?:the\s+)?$", re.IGNORECASE)
# Numbers that look like years but are not ("2020 votes", "1992 kilometres").
_NOT_YEAR_AFTER = re.compile(r"^\s*(?:%|percent|per cent|votes|people|troops|kilomet|km|miles|members|delegates|soldiers|dollars|\$)", re.I)


@dataclass(frozen=True)
class DateMention:
    start: int  # character offsets within the text searched
    end: int
    text: str
    role: str  # event | start | end


@dataclass(frozen=True)
class ResolvedDate:
    iso: str  # 2025, 2025-11, 2025-11-06
    precision: str  # year | month | day


MONTH_WORDS = {m.lower() for m in MONTHS.split("|")}
_NUM = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
LATER = re.compile(r"(a|one|two|three|four|five|\d+)\s+(month|year)s?\s+later", re.IGNORECASE)


def shift(base: ResolvedDate, m: re.Match) -> ResolvedDate:
    """base moved by 'N years/months later', at the coarser of the two precisions."""
    n = _NUM.get(m.group(1).lower()) or int(m.group(1))
    year = int(base.iso[:4])
    if m.group(2).lower() == "year":
        return ResolvedDate(str(year + n), "year")
    if base.precision == "year":
        return ResolvedDate(str(year), "year") if n < 12 else ResolvedDate(str(year + n // 12), "year")
    y, mth = divmod(year * 12 + int(base.iso[5:7]) - 1 + n, 12)
    return ResolvedDate(f"{y:04d}-{mth + 1:02d}", "month")


def find_dates(text: str) -> list[DateMention]:
    out: list[DateMention] = []
    for m in _DATE_RE.finditer(text):
        s = m.group(0)
        if re.fullmatch(_Y + "s?", s) and _NOT_YEAR_AFTER.match(text[m.end():]):
            continue
        if s.lower() == "may" or (re.fullmatch(r"(?i)may", s.split()[0]) and not re.search(r"\d", s)):
            continue
        before = text[max(0, m.start() - 20):m.start()]
        role = "event"
        rm = _ROLE_RE.search(before)
        if rm:
            word = rm.group(1).lower()
            role = "start" if word in {"since", "from", "starting", "effective", "as of"} else "end"
        out.append(DateMention(m.start(), m.end(), s, role))
    return out


def _iso(d: date, precision: str) -> str:
    return {"year": f"{d.year:04d}", "month": f"{d.year:04d}-{d.month:02d}"}.get(precision, d.isoformat())


def resolve(text: str, published: date | None, future: bool = False) -> ResolvedDate | None:
    """Resolve a date expression; None when it cannot be fixed (no year and no publication date)."""
    s = " ".join(text.split()).strip().rstrip(".")
    low = s.lower()
    # Decades ("the 1990s") are too vague to be a date.
    if re.fullmatch(r"\d{4}s", low):
        return None
    m = re.fullmatch(r"(early|mid|late)[- ](.+)", low)
    if m:
        low = m.group(2)
        s = s[len(m.group(1)) + 1:]
    if re.fullmatch(_Y, low):
        return ResolvedDate(low, "year")
    has_year = re.search(r"\b" + _Y + r"\b", low) is not None
    if published is None and not has_year:
        return None  # relative or year-less: cannot be fixed without the publication date
    if low in WEEKDAYS:
        target = WEEKDAYS.index(low)
        delta = (target - published.weekday()) % 7
        d = published + timedelta(days=delta) if future else published - timedelta(days=(published.weekday() - target) % 7)
        return ResolvedDate(d.isoformat(), "day")
    if low in {"today", "tomorrow", "yesterday"}:
        d = published + timedelta(days={"today": 0, "tomorrow": 1, "yesterday": -1}[low])
        return ResolvedDate(d.isoformat(), "day")
    m = re.fullmatch(r"(?:earlier|later) this (week|month|year)|(this|last|next|past|coming) (week|month|year)", low)
    if m:
        unit = m.group(1) or m.group(3)
        rel = m.group(2) or "this"
        step = {"this": 0, "last": -1, "past": -1, "next": 1, "coming": 1}[rel]
        if unit == "year":
            return ResolvedDate(str(published.year + step), "year")
        if unit == "month":
            y, mth = divmod(published.year * 12 + published.month - 1 + step, 12)
            return ResolvedDate(f"{y:04d}-{mth + 1:02d}", "month")
        return None  # weeks have no ISO precision here
    if re.fullmatch(rf"(?:{MONTHS})", low, re.I):
        # A bare month: the next one for what is to come, the last one for what was.
        mth = _month_number(low)
        if future:
            y = published.year + (1 if mth < published.month else 0)
        else:
            y = published.year - (1 if mth > published.month else 0)
        return ResolvedDate(f"{y:04d}-{mth:02d}", "month")
    m = re.fullmatch(rf"(next|last|this|past|coming) ({MONTHS})\.?", low, re.I)
    if m:
        mth = _month_number(m.group(2))
        y = published.year
        if m.group(1) in {"next", "coming"}:
            y += 1 if mth <= published.month else 0
        elif m.group(1) in {"last", "past"}:
            y -= 1 if mth >= published.month else 0
        return ResolvedDate(f"{y:04d}-{mth:02d}", "month")
    m = re.fullmatch(r"(a|one|two|three|\d+) (day|week|month|year)s? ago", low)
    if m:
        n = {"a": 1, "one": 1, "two": 2, "three": 3}.get(m.group(1)) or int(m.group(1))
        if m.group(2) == "year":
            return ResolvedDate(str(published.year - n), "year")
        if m.group(2) == "day":
            return ResolvedDate((published - timedelta(days=n)).isoformat(), "day")
        return None
    settings = {"PREFER_DAY_OF_MONTH": "first", "RETURN_TIME_AS_PERIOD": True,
                "PREFER_DATES_FROM": "future" if future else "past"}
    if published is not None:
        from datetime import datetime

        settings["RELATIVE_BASE"] = datetime(published.year, published.month, published.day)
    data = _parse(s, tuple(sorted(settings.items())))
    if data is None:
        return None
    d, period = data
    if period not in {"day", "month", "year"}:
        return None
    if not has_year and published is not None and not future and d > published:
        # "November 3" in a December article is this year's; in a January article last year's.
        d = d.replace(year=d.year - 1)
    return ResolvedDate(_iso(d, period), period)


@lru_cache(maxsize=4096)
def _parse(s: str, settings: tuple) -> tuple[date, str] | None:
    from dateparser.date import DateDataParser

    parser = DateDataParser(languages=["en"], settings=dict(settings))
    data = parser.get_date_data(s)
    if data is None or data.date_obj is None:
        return None
    return data.date_obj.date(), data.period


def _month_number(name: str) -> int:
    key = name.lower()[:3]
    return ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"].index(key) + 1
