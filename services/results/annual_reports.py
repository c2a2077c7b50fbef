"""The duty behind the yearly enforcement data report (行政执法统计年报,
DOMAIN.md I1, I5, I6): each agency publishes last year's figures with its
情况说明 by a deadline (31 January unless its region's policy says otherwise).

- Until the agency confirms, its report is computed live (statistics.py) and
  shown as OPEN (the year still runs), DRAFT (from 1 January) or MISSING (the
  deadline passed).
- Confirming stores a snapshot of the figures as they are at that moment with
  the narrative, and publishes AnnualReportPublished through the outbox. A later
  correction or withdrawal of a decision does not change a confirmed report; the
  agency confirms again to publish a new revision (I5: wrong data is corrected
  by the agency, not silently).
- The day after the deadline a scan raises AnnualReportMissing, once per agency
  and year, for every agency the directory knows that has not confirmed.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import time

from sqlalchemy import Column, LargeBinary, Text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, SQLModel, and_, select

from gongshi.v1 import results_pb2 as pb
from gongshi.v1 import results_pb2_grpc
from gongshi.v1 import results_query_pb2 as qpb
from services.results.models import AgencyCopy
from services.results.policy import RegionPolicies
from services.results.statistics import ResultStatistics
from services.runtime import audit, limits
from services.runtime import events as ev
from services.runtime.app import ServiceRuntime
from services.runtime.auth import Principal, require_agency_writer
from services.runtime.clock import isoformat
from services.runtime.errors import FailedPrecondition, FieldViolation, InvalidArgument
from services.runtime.grpc_server import current_principal
from services.runtime.outbox import enqueue

log = logging.getLogger(__name__)
SERVICE = "results"
SERVICE_NAME = "gongshi.v1.AnnualReportsService"
PUBLIC_METHODS = {f"/{SERVICE_NAME}/ListMissingAnnualReports"}
MISSING_JOB = Principal("job:results-annual-reports", 0)
# Within a day the scan repeats only this often: it finds agencies the directory
# learned since (at start-up the copy may still be filling), at one query a time.
RESCAN_SECONDS = 300.0
_REGION = re.compile(r"^[0-9]{6}$")


class AnnualReportRow(SQLModel, table=True):
    """An agency's confirmed report of a year: the figures as they were at
    confirmation (a serialized gongshi.v1.AnnualEnforcementReport) and its 情况说明."""

    __tablename__ = "results_annual_reports"
    agency_code: str = Field(primary_key=True, max_length=40)
    year: int = Field(primary_key=True)
    revision: int
    narrative: str = Field(sa_column=Column(Text, nullable=False))
    report: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    deadline: str = Field(max_length=10)
    confirmed_at: dt.datetime
    late: bool


class AnnualReportMissingRow(SQLModel, table=True):
    """AnnualReportMissing was raised for this agency and year (once: the key)."""

    __tablename__ = "results_annual_reports_missing"
    agency_code: str = Field(primary_key=True, max_length=40)
    year: int = Field(primary_key=True)
    region_code: str = Field(max_length=12, index=True)
    deadline: str = Field(max_length=10)
    detected_at: dt.datetime


TABLES = [AnnualReportRow.__table__, AnnualReportMissingRow.__table__]


def report_status(year: int, today: dt.date, deadline: dt.date, confirmed: bool) -> int:
    """Where a report stands on `today` (China date)."""
    if confirmed:
        return pb.ANNUAL_REPORT_STATUS_CONFIRMED
    if today.year <= year:
        return pb.ANNUAL_REPORT_STATUS_OPEN
    if today > deadline:
        return pb.ANNUAL_REPORT_STATUS_MISSING
    return pb.ANNUAL_REPORT_STATUS_DRAFT


def validate_year(year: int, field: str = "year") -> FieldViolation | None:
    if not 1949 < year < 10_000:
        return FieldViolation(field, "must be a calendar year such as 2026")
    return None


def region_scope(region_code: str):
    """A province ("440000") or prefecture ("440100") code takes in its districts."""
    code = region_code
    while code.endswith("00") and len(code) > 2:
        code = code[:-2]
    column = AnnualReportMissingRow.region_code
    return column == region_code if len(code) == 6 else column.startswith(code)


def _figures(report: qpb.AnnualEnforcementReport) -> bytes:
    """The counted figures alone, to tell a retry from a new revision."""
    copy = qpb.AnnualEnforcementReport()
    copy.CopyFrom(report)
    for name in ("generated_at", "status", "narrative", "confirmed_at", "deadline", "revision"):
        copy.ClearField(name)
    return copy.SerializeToString(deterministic=True)


def _confirmation(row: AnnualReportRow, created: bool) -> pb.AnnualReportConfirmation:
    report = qpb.AnnualEnforcementReport.FromString(row.report)
    return pb.AnnualReportConfirmation(
        agency_code=row.agency_code,
        year=row.year,
        revision=row.revision,
        narrative=row.narrative,
        confirmed_at=isoformat(row.confirmed_at),
        deadline=row.deadline,
        late=row.late,
        created=created,
        decisions=sum(b.decisions for b in report.behaviours),
    )


class AnnualReports:
    """Confirmation, the report as the public reads it, the oversight list and
    the scan for missing reports."""

    def __init__(self, runtime: ServiceRuntime, policies: RegionPolicies, scan_seconds: float = 1.0) -> None:
        self.runtime = runtime
        self.db = runtime.db
        self.clock = runtime.clock
        self.policies = policies
        self.scan_seconds = scan_seconds
        self.statistics = ResultStatistics(runtime.db, runtime.clock)
        # (China date, monotonic time) of the last scan: see RESCAN_SECONDS.
        self._scanned: tuple[dt.date, float] | None = None

    def install(self) -> None:
        """Tables, the gRPC service and the missing-report scan."""
        self.runtime.tables.extend(TABLES)
        self.runtime.grpc.add(
            results_pb2_grpc.add_AnnualReportsServiceServicer_to_server,
            AnnualReportsServicer(self),
            SERVICE_NAME,
            public_methods=PUBLIC_METHODS,
        )
        self.runtime.add_job(self.scan_missing, every=self.scan_seconds, name="annual report scan")

    def deadline(self, region_code: str, year: int) -> dt.date:
        return self.policies.for_region(region_code).annual_report_deadline_for(year)

    # ------------------------------------------------------------ reading

    async def annual_report(self, request: qpb.AnnualReportRequest) -> qpb.AnnualEnforcementReport:
        """The confirmed snapshot when there is one, else the live figures with their status."""
        async with self.db.reader() as session:
            row = None
            if request.agency_code and validate_year(request.year) is None:
                row = await session.get(AnnualReportRow, (request.agency_code, request.year))
        if row is not None:
            report = qpb.AnnualEnforcementReport.FromString(row.report)
            report.status = pb.ANNUAL_REPORT_STATUS_CONFIRMED
            report.narrative, report.revision = row.narrative, row.revision
            report.confirmed_at, report.deadline = isoformat(row.confirmed_at), row.deadline
            return report
        # Validates the request and raises NotFound for an unknown agency.
        report = await self.statistics.annual_report(request)
        async with self.db.reader() as session:
            agency = await session.get(AgencyCopy, request.agency_code)
        deadline = self.deadline(agency.region_code if agency else "", request.year)
        report.deadline = deadline.isoformat()
        report.status = report_status(request.year, self.clock.today(), deadline, confirmed=False)
        return report

    async def missing(
        self, request: pb.ListMissingAnnualReportsRequest
    ) -> pb.ListMissingAnnualReportsResponse:
        """Reports past their deadline and still unconfirmed, by region and agency."""
        year = request.year or self.clock.today().year - 1
        violations = [v for v in [validate_year(year)] if v]
        if request.region_code and not _REGION.match(request.region_code):
            violations.append(FieldViolation("region_code", "must be a 6-digit region code"))
        if violations:
            raise InvalidArgument(violations)
        confirmed = select(AnnualReportRow.agency_code).where(AnnualReportRow.year == year)
        query = (
            select(AnnualReportMissingRow, AgencyCopy.name)
            .join(AgencyCopy, AgencyCopy.code == AnnualReportMissingRow.agency_code, isouter=True)
            .where(AnnualReportMissingRow.year == year, AnnualReportMissingRow.agency_code.not_in(confirmed))
            .order_by(AnnualReportMissingRow.region_code, AnnualReportMissingRow.agency_code)
            .limit(limits.MAX_MISSING_ANNUAL_REPORTS)
        )
        if request.region_code:
            query = query.where(region_scope(request.region_code))
        async with self.db.reader() as session:
            rows = (await session.exec(query)).all()
        return pb.ListMissingAnnualReportsResponse(
            year=year, reports=[_missing(row, name or "") for row, name in rows]
        )

    # ------------------------------------------------------------ confirming

    async def confirm(
        self, principal: Principal | None, request: pb.ConfirmAnnualReportRequest
    ) -> pb.AnnualReportConfirmation:
        agency_code = request.agency_code or (principal.agency_code if principal else "")
        require_agency_writer(principal, agency_code)
        narrative = request.narrative.strip()
        violations = [v for v in [validate_year(request.year)] if v]
        if not narrative:
            violations.append(FieldViolation("narrative", "is required: the report's 情况说明 (I1)"))
        elif len(narrative) > limits.MAX_ANNUAL_REPORT_NARRATIVE_CHARS:
            violations.append(
                FieldViolation(
                    "narrative", f"must be at most {limits.MAX_ANNUAL_REPORT_NARRATIVE_CHARS} characters"
                )
            )
        if violations:
            raise InvalidArgument(violations)
        today = self.clock.today()
        if request.year >= today.year:
            raise FailedPrecondition(
                f"the report of {request.year} can be confirmed from {request.year + 1}-01-01, "
                "when the year's figures are complete"
            )
        figures = await self.statistics.annual_report(
            qpb.AnnualReportRequest(agency_code=agency_code, year=request.year)
        )
        return await self._store(principal, agency_code, request.year, narrative, figures)

    async def _store(self, *args) -> pb.AnnualReportConfirmation:
        try:
            return await self._store_once(*args)
        except IntegrityError:
            # Two first confirmations at once: the loser becomes the next revision.
            return await self._store_once(*args)

    async def _store_once(
        self,
        principal: Principal | None,
        agency_code: str,
        year: int,
        narrative: str,
        figures: qpb.AnnualEnforcementReport,
    ) -> pb.AnnualReportConfirmation:
        """The snapshot, its event and audit entry in one transaction."""
        now, today = self.clock.now(), self.clock.today()
        async with self.db.transaction("results.confirm_annual_report") as session:
            agency = await session.get(AgencyCopy, agency_code)
            # Locked (PostgreSQL) so that concurrent revisions are numbered one after the other.
            row = await session.get(AnnualReportRow, (agency_code, year), with_for_update=True)
            if row is not None and row.narrative == narrative:
                stored = qpb.AnnualEnforcementReport.FromString(row.report)
                if _figures(stored) == _figures(figures):
                    return _confirmation(row, created=False)
            deadline = self.deadline(agency.region_code, year)
            snapshot = qpb.AnnualEnforcementReport()
            snapshot.CopyFrom(figures)
            snapshot.generated_at = isoformat(now)
            row = row or AnnualReportRow(agency_code=agency_code, year=year, revision=0)
            row.revision += 1
            row.narrative, row.report = narrative, snapshot.SerializeToString()
            row.deadline, row.confirmed_at, row.late = deadline.isoformat(), now, today > deadline
            session.add(row)
            confirmation = _confirmation(row, created=True)
            message = pb.AnnualReportPublished(
                confirmation=confirmation, agency_name=agency.name, region_code=agency.region_code
            )
            subject = ev.subject(SERVICE, "annual_report_published", agency_code)
            enqueue(session, ev.Event(subject, message), source=SERVICE, now=now)
            audit.record(
                session,
                principal,
                operation="ConfirmAnnualReport",
                record_type="annual_report",
                record_id=f"{agency_code}/{year}",
                before=None,
                after=confirmation,
                now=now,
            )
        return confirmation

    # ------------------------------------------------------------ the missing-report scan

    async def scan_missing(self) -> int:
        """Raise AnnualReportMissing for last year's unconfirmed reports whose
        deadline has passed (on deadline + 1), once per agency and year."""
        now = self.clock.now()
        today = self.clock.today()
        if (
            self._scanned
            and self._scanned[0] == today
            and time.monotonic() - self._scanned[1] < RESCAN_SECONDS
        ):
            return 0
        year = today.year - 1
        policies = [self.policies.default, *self.policies.regions.values()]
        raised = 0
        if today > min(p.annual_report_deadline_for(year) for p in policies):
            raised = await self._raise_missing(year, today, now)
        self._scanned = (today, time.monotonic())
        return raised

    async def _raise_missing(self, year: int, today: dt.date, now: dt.datetime) -> int:
        confirmed = and_(AnnualReportRow.agency_code == AgencyCopy.code, AnnualReportRow.year == year)
        raised_before = and_(
            AnnualReportMissingRow.agency_code == AgencyCopy.code, AnnualReportMissingRow.year == year
        )
        raised = 0
        async with self.db.transaction("results.scan_annual_reports") as session:
            agencies = (
                await session.exec(
                    select(AgencyCopy).where(
                        ~select(AnnualReportRow.year).where(confirmed).exists(),
                        ~select(AnnualReportMissingRow.year).where(raised_before).exists(),
                    )
                )
            ).all()
            for agency in agencies:
                deadline = self.deadline(agency.region_code, year)
                if today <= deadline:
                    continue
                row = AnnualReportMissingRow(
                    agency_code=agency.code,
                    year=year,
                    region_code=agency.region_code,
                    deadline=deadline.isoformat(),
                    detected_at=now,
                )
                session.add(row)
                message = pb.AnnualReportMissing(report=_missing(row, agency.name))
                subject = ev.subject(SERVICE, "annual_report_missing", agency.code)
                enqueue(session, ev.Event(subject, message), source=SERVICE, now=now)
                audit.record(
                    session,
                    MISSING_JOB,
                    operation="AnnualReportMissing",
                    record_type="annual_report",
                    record_id=f"{agency.code}/{year}",
                    before=None,
                    after=None,
                    now=now,
                )
                raised += 1
        return raised


def _missing(row: AnnualReportMissingRow, name: str) -> pb.MissingAnnualReport:
    return pb.MissingAnnualReport(
        agency_code=row.agency_code,
        agency_name=name,
        region_code=row.region_code,
        year=row.year,
        deadline=row.deadline,
        detected_at=isoformat(row.detected_at),
    )


class AnnualReportsServicer(results_pb2_grpc.AnnualReportsServiceServicer):
    def __init__(self, reports: AnnualReports) -> None:
        self.reports = reports

    async def ConfirmAnnualReport(
        self, request: pb.ConfirmAnnualReportRequest, context
    ) -> pb.AnnualReportConfirmation:
        return await self.reports.confirm(current_principal(), request)

    async def ListMissingAnnualReports(
        self, request: pb.ListMissingAnnualReportsRequest, context
    ) -> pb.ListMissingAnnualReportsResponse:
        return await self.reports.missing(request)
