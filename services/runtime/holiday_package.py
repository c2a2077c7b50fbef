"""Holiday data as the `chinesecalendar` package knows it, in the form of
our year files: the shipped files were generated from it
(`python -m services.runtime.holiday_package`), and a test checks that
both agree for every year both cover."""

from __future__ import annotations

import json
import sys

import chinese_calendar

from services.runtime.holidays import SHIPPED_DIR, YearData

_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}

# Notices whose date we could confirm (number unknown: "" in the file).
_NOTICE_DATES = {2026: "2025-11-04"}


def package_years() -> range:
    years = [day.year for day in chinese_calendar.holidays]
    return range(min(years), max(years) + 1)


def year_from_package(year: int) -> YearData:
    """The package's rest days and make-up working days of `year`."""

    def named(days) -> dict:
        return {d: _NAMES.get(name, name) for d, name in days.items() if d.year == year}

    return YearData(
        year,
        named(chinese_calendar.holidays),
        named(chinese_calendar.workdays),
        f"国务院办公厅关于{year}年部分节假日安排的通知",
        "",
        _NOTICE_DATES.get(year, ""),
    )


def main() -> int:
    """Write one file per year the package covers into holiday_data/."""
    SHIPPED_DIR.mkdir(exist_ok=True)
    for year in package_years():
        path = SHIPPED_DIR / f"{year}.json"
        text = json.dumps(year_from_package(year).to_json(), ensure_ascii=False, indent=1)
        path.write_text(text + "\n", encoding="utf-8")
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
