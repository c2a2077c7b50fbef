"""Figures and times as a person reads them on a page. The API keeps the
machine forms (ISO 8601 with offset, fen, 萬元 with four decimals); pages show
China Standard Time, thousands separators and 2-decimal 萬元, always with the
exact value in markup (`<time datetime>`) where one exists."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from jinja2 import Environment, pass_context
from markupsafe import Markup, escape

from gateway import agencies
from services.runtime.clock import CHINA_TZ

EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def china_time(instant: str) -> dt.datetime | None:
    """An ISO 8601 instant (any offset, or Z) in China Standard Time; None if empty or unreadable."""
    if not instant:
        return None
    try:
        moment = dt.datetime.fromisoformat(instant.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(CHINA_TZ)


def readable_time(moment: dt.datetime, lang: str) -> str:
    """2026年12月1日 21:36 / 1 Dec 2026, 21:36."""
    if lang == "en":
        return f"{moment.day} {EN_MONTHS[moment.month - 1]} {moment.year}, {moment:%H:%M}"
    return f"{moment.year}年{moment.month}月{moment.day}日 {moment:%H:%M}"


def readable_date(day: dt.date, lang: str) -> str:
    if lang == "en":
        return f"{day.day} {EN_MONTHS[day.month - 1]} {day.year}"
    return f"{day.year}年{day.month}月{day.day}日"


def time_tag(instant: str, lang: str) -> Markup:
    """<time datetime="…+08:00">readable</time>; the raw text when it is not an instant."""
    moment = china_time(instant)
    if moment is None:
        return Markup(escape(instant or ""))
    machine = moment.isoformat(timespec="seconds")
    return Markup('<time datetime="{}">{}</time>').format(machine, readable_time(moment, lang))


def date_tag(day: str, lang: str) -> Markup:
    """<time datetime="2026-11-20">2026年11月20日</time> for a calendar date."""
    try:
        parsed = dt.date.fromisoformat(day)
    except (TypeError, ValueError):
        return Markup(escape(day or ""))
    return Markup('<time datetime="{}">{}</time>').format(parsed.isoformat(), readable_date(parsed, lang))


def local_date_tag(instant: str, lang: str) -> Markup:
    """The China-time calendar day of an instant, as date_tag shows it."""
    moment = china_time(instant)
    return date_tag(moment.date().isoformat(), lang) if moment else Markup(escape(instant or ""))


def wan_yuan(fen: int) -> str:
    """Fen to 萬元 for people: 2 decimals, thousands separators (1,813.45)."""
    amount = (Decimal(fen) / Decimal(1_000_000)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{amount:,.2f}"


def number(value: int | float) -> str:
    """1234567 -> 1,234,567."""
    return f"{value:,}"


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "—"


def install(env: Environment) -> None:
    """Make the helpers available to every template of a Jinja environment;
    they read the page's language from the template context."""

    @pass_context
    def _time(context, instant: str) -> Markup:
        return time_tag(instant, context.get("lang", "zh"))

    @pass_context
    def _date(context, day: str) -> Markup:
        return date_tag(day, context.get("lang", "zh"))

    @pass_context
    def _local_date(context, instant: str) -> Markup:
        return local_date_tag(instant, context.get("lang", "zh"))

    env.filters["local_time_tag"] = _time
    env.filters["local_date_tag"] = _local_date
    env.filters["date_tag"] = _date
    env.filters["number"] = number
    env.globals["wan_yuan"] = wan_yuan
    env.globals["percent"] = percent
    env.globals["agency_name"] = agencies.name_of
