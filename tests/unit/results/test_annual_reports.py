"""The annual report duty's rules (DOMAIN.md I1, I5, I6) without a server:
status by date, the per-region deadline, the confirmation's checks, and the
missing-report scan and list on a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
import datetime as dt
from types import SimpleNamespace

import pytest
from sqlmodel import select

from gongshi.v1 import results_pb2 as pb
from gongshi.v1 import results_query_pb2 as qpb
from services.results.annual_reports import (
    RESCAN_SECONDS,
    AnnualReportMissingRow,
    AnnualReportRow,
    AnnualReports,
    _figures,
    report_status,
)
from services.results.models import AgencyCopy
from services.results.policy import PublicationPolicy, RegionPolicies, policies_from_dict
from services.runtime import limits
from services.runtime.app import RUNTIME_TABLES
from services.runtime.auth import ROLE_AGENCY, Principal
from services.runtime.clock import CHINA_TZ
from services.runtime.db import Database
from services.runtime.errors import FailedPrecondition, InvalidArgument, PermissionDenied, Unauthenticated
from services.runtime.outbox import OutboxRow

DEADLINE = dt.date(2027, 1, 31)
GUANGZHOU = policies_from_dict({"regions": {"440100": {"annual_report_deadline": "03-31"}}})


class MovableClock:
    def __init__(self, instant: dt.datetime) -> None:
        self.instant = instant

    def now(self) -> dt.datetime:
        return self.instant

    def today(self) -> dt.date:
        return self.instant.astimezone(CHINA_TZ).date()


def china(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=CHINA_TZ)


@pytest.mark.parametrize(
    ("today", "confirmed", "status"),
    [
        (dt.date(2026, 12, 31), False, pb.ANNUAL_REPORT_STATUS_OPEN),
        (dt.date(2027, 1, 1), False, pb.ANNUAL_REPORT_STATUS_DRAFT),
        (DEADLINE, False, pb.ANNUAL_REPORT_STATUS_DRAFT),  # the deadline day is still in time
        (dt.date(2027, 2, 1), False, pb.ANNUAL_REPORT_STATUS_MISSING),
        (dt.date(2027, 2, 1), True, pb.ANNUAL_REPORT_STATUS_CONFIRMED),
        (dt.date(2027, 1, 5), True, pb.ANNUAL_REPORT_STATUS_CONFIRMED),
    ],
)
def test_status_follows_the_calendar_until_confirmed(today, confirmed, status):
    assert report_status(2026, today, DEADLINE, confirmed) == status


def test_the_deadline_is_31_january_unless_the_region_says_otherwise():
    assert RegionPolicies().for_region("310101").annual_report_deadline_for(2026) == DEADLINE
    assert GUANGZHOU.for_region("440104").annual_report_deadline_for(2026) == dt.date(2027, 3, 31)
    assert GUANGZHOU.for_region("440305").annual_report_deadline_for(2026) == DEADLINE  # Shenzhen


@pytest.mark.parametrize("bad", ["02-29", "13-01", "0131", "1-31", "", "01-32"])
def test_a_deadline_that_is_not_a_day_of_every_year_is_refused(bad):
    with pytest.raises(ValueError, match="annual_report_deadline"):
        PublicationPolicy(annual_report_deadline=bad)


def test_figures_ignore_what_confirmation_adds():
    live = qpb.AnnualEnforcementReport(agency_code="A", year=2026, penalty_decisions=2, generated_at="t1")
    stored = qpb.AnnualEnforcementReport()
    stored.CopyFrom(live)
    stored.generated_at, stored.narrative, stored.revision = "t2", "说明", 3
    assert _figures(live) == _figures(stored)
    stored.penalty_decisions = 3
    assert _figures(live) != _figures(stored)


def _reports(db=None, instant: dt.datetime = china(2027, 1, 5, 9, 0), policies=GUANGZHOU) -> AnnualReports:
    runtime = SimpleNamespace(
        db=db, clock=MovableClock(instant), relay=SimpleNamespace(notify=lambda: None), tables=[]
    )
    return AnnualReports(runtime, policies)


AGENCY = Principal("cred-1", ROLE_AGENCY, "SCJG-A")


@pytest.mark.parametrize(
    ("request_fields", "field"),
    [
        ({"year": 2026, "narrative": " \n "}, "narrative"),
        ({"year": 2026, "narrative": "说" * (limits.MAX_ANNUAL_REPORT_NARRATIVE_CHARS + 1)}, "narrative"),
        ({"year": 12, "narrative": "说明"}, "year"),
    ],
)
async def test_a_confirmation_needs_a_year_and_its_narrative(request_fields, field):
    with pytest.raises(InvalidArgument) as refused:
        await _reports().confirm(AGENCY, pb.ConfirmAnnualReportRequest(**request_fields))
    assert [v.field for v in refused.value.violations] == [field]


async def test_only_the_agency_itself_confirms_and_only_a_finished_year():
    reports = _reports()
    request = pb.ConfirmAnnualReportRequest(agency_code="SCJG-A", year=2026, narrative="说明")
    with pytest.raises(Unauthenticated):
        await reports.confirm(None, request)
    with pytest.raises(PermissionDenied):
        await reports.confirm(Principal("cred-2", ROLE_AGENCY, "SCJG-B"), request)
    with pytest.raises(FailedPrecondition, match="2028-01-01"):
        await reports.confirm(AGENCY, pb.ConfirmAnnualReportRequest(year=2027, narrative="说明"))


@pytest.fixture
async def db(db_url):
    database = Database(db_url)
    await database.create_tables([*RUNTIME_TABLES, AgencyCopy.__table__, AnnualReportRow.__table__,
                                  AnnualReportMissingRow.__table__])  # fmt: skip
    async with database.transaction() as session:
        for code, region in (("SH-A", "310101"), ("SH-B", "310104"), ("GZ-C", "440104"), ("SZ-D", "440305")):
            session.add(AgencyCopy(code=code, name=f"{code} 局", region_code=region, version=1))
        session.add(
            AnnualReportRow(
                agency_code="SH-A",
                year=2026,
                revision=1,
                narrative="说明",
                report=qpb.AnnualEnforcementReport(agency_code="SH-A", year=2026).SerializeToString(),
                deadline="2027-01-31",
                confirmed_at=china(2027, 1, 10, 9, 0),
                late=False,
            )
        )
    yield database
    await database.dispose()


async def _outbox_subjects(db) -> list[str]:
    async with db.reader() as session:
        return sorted((await session.exec(select(OutboxRow.subject))).all())


async def test_missing_reports_are_raised_once_after_each_regions_deadline(db):
    reports = _reports(db, china(2027, 1, 31, 23, 59))
    assert await reports.scan_missing() == 0  # the deadline day itself
    reports.clock.instant = china(2027, 2, 1, 0, 1)
    assert await reports.scan_missing() == 2  # SH-B and SZ-D; SH-A confirmed, GZ-C has until 31 March
    assert await _outbox_subjects(db) == [
        "gongshi.results.annual_report_missing.SH-B",
        "gongshi.results.annual_report_missing.SZ-D",
    ]
    reports.clock.instant = china(2027, 2, 2, 8, 0)
    assert await reports.scan_missing() == 0  # once per agency and year
    assert await reports.scan_missing() == 0  # and the same day is not scanned again at once
    async with db.transaction() as session:  # an agency the directory learns later that day
        session.add(AgencyCopy(code="SH-E", name="SH-E 局", region_code="310101", version=1))
    assert await reports.scan_missing() == 0
    reports._scanned = (reports._scanned[0], reports._scanned[1] - RESCAN_SECONDS)
    assert await reports.scan_missing() == 1  # found by the next scan of the day
    reports.clock.instant = china(2027, 3, 31, 23, 0)
    assert await reports.scan_missing() == 0  # Guangzhou's deadline day
    reports.clock.instant = china(2027, 4, 1, 0, 1)
    assert await reports.scan_missing() == 1  # GZ-C
    # A new process (restart) finds nothing left to raise.
    assert await _reports(db, china(2027, 4, 2, 0, 1)).scan_missing() == 0


async def test_the_missing_list_filters_by_region_and_drops_confirmed_reports(db):
    reports = _reports(db, china(2027, 4, 1, 0, 1))
    await reports.scan_missing()
    listed = await reports.missing(pb.ListMissingAnnualReportsRequest())
    assert listed.year == 2026
    assert [(m.agency_code, m.deadline) for m in listed.reports] == [
        ("SH-B", "2027-01-31"),
        ("GZ-C", "2027-03-31"),
        ("SZ-D", "2027-01-31"),
    ]  # by region, then agency
    province = await reports.missing(pb.ListMissingAnnualReportsRequest(region_code="440000"))
    assert [m.agency_code for m in province.reports] == ["GZ-C", "SZ-D"]
    city = await reports.missing(pb.ListMissingAnnualReportsRequest(region_code="440100"))
    assert [(m.agency_code, m.agency_name) for m in city.reports] == [("GZ-C", "GZ-C 局")]
    district = await reports.missing(pb.ListMissingAnnualReportsRequest(region_code="310104", year=2026))
    assert [m.agency_code for m in district.reports] == ["SH-B"]
    assert not (await reports.missing(pb.ListMissingAnnualReportsRequest(year=2025))).reports

    async with db.transaction() as session:  # SH-B confirms late
        session.add(
            AnnualReportRow(
                agency_code="SH-B",
                year=2026,
                revision=1,
                narrative="迟报说明",
                report=b"",
                deadline="2027-01-31",
                confirmed_at=china(2027, 4, 1, 9, 0),
                late=True,
            )
        )
    listed = await reports.missing(pb.ListMissingAnnualReportsRequest(year=2026))
    assert [m.agency_code for m in listed.reports] == ["GZ-C", "SZ-D"]
    with pytest.raises(InvalidArgument) as refused:
        await reports.missing(pb.ListMissingAnnualReportsRequest(region_code="44"))
    assert [v.field for v in refused.value.violations] == ["region_code"]


async def test_concurrent_confirmations_become_successive_revisions(db):
    """Two first confirmations race (GZ-C has none): both are kept, numbered 1 and 2,
    each with its event; a repeat of the stored one changes nothing."""
    reports = _reports(db, china(2027, 1, 5, 9, 0))
    figures = qpb.AnnualEnforcementReport(agency_code="GZ-C", year=2026, penalty_decisions=4)
    principal = Principal("cred-c", ROLE_AGENCY, "GZ-C")
    first, second = await asyncio.gather(
        reports._store(principal, "GZ-C", 2026, "甲", figures),
        reports._store(principal, "GZ-C", 2026, "乙", figures),
    )
    assert sorted((first.revision, second.revision)) == [1, 2] and first.created and second.created
    assert first.deadline == "2027-03-31" and not first.late
    latest = first if first.revision == 2 else second
    again = await reports._store(principal, "GZ-C", 2026, latest.narrative, figures)
    assert (again.revision, again.created) == (2, False)
    assert await _outbox_subjects(db) == ["gongshi.results.annual_report_published.GZ-C"] * 2
    shown = await reports.annual_report(qpb.AnnualReportRequest(agency_code="GZ-C", year=2026))
    assert shown.status == pb.ANNUAL_REPORT_STATUS_CONFIRMED and shown.narrative == latest.narrative
    assert shown.penalty_decisions == 4 and shown.revision == 2
