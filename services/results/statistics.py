"""Statistics over decisions and the annual enforcement data report
(行政執法年度數據, DOMAIN.md I1–I3), computed from the results_search read model.

Counts include decisions that were not published (they carry no personal
data, and I-reports count activity, not publications) but not withdrawn ones
(a decision revoked or found illegal did not stand). Every decision is counted
by its decision date.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import text
from sqlmodel import Field, SQLModel, select

from gongshi.v1 import duties_pb2
from gongshi.v1 import results_pb2 as pb
from gongshi.v1 import results_query_pb2 as qpb
from services.results import domain
from services.results.models import AgencyCopy
from services.results.search_index import PENALTY_COLUMNS
from services.runtime import limits
from services.runtime.bus import PUBLIC_STREAM
from services.runtime.clock import Clock, isoformat
from services.runtime.errors import FieldViolation, InvalidArgument, NotFound
from services.runtime.subscription import InboundEvent, Subscription

# DOMAIN.md I2: the six behaviour types of the annual report, in its order.
BEHAVIOUR_TYPES = [
    pb.DECISION_CATEGORY_LICENSING,
    pb.DECISION_CATEGORY_PENALTY,
    pb.DECISION_CATEGORY_COERCION,
    pb.DECISION_CATEGORY_LEVY,
    pb.DECISION_CATEGORY_REQUISITION,
    pb.DECISION_CATEGORY_INSPECTION,
]
PUBLISHED_STATUSES = (
    pb.RESULT_STATUS_PUBLISHED,
    pb.RESULT_STATUS_CORRECTED,
    pb.RESULT_STATUS_EXPIRED,
    pb.RESULT_STATUS_REPAIRED,
)


class DutyPowerCopy(SQLModel, table=True):
    """Local copy of the power type of each duty item (權責清單), from duties'
    events: what the annual report needs to tell "no power" from "no activity"."""

    __tablename__ = "results_copy_duty_powers"
    agency_code: str = Field(primary_key=True, max_length=40)
    code: str = Field(primary_key=True, max_length=200)
    power_type: int
    active: bool
    version: int


# PowerType and DecisionCategory share names where a power is a behaviour type.
_CATEGORY_BY_POWER = {
    number: pb.DecisionCategory.Value(f"DECISION_CATEGORY_{name.removeprefix('POWER_TYPE_')}")
    for name, number in duties_pb2.PowerType.items()
    if f"DECISION_CATEGORY_{name.removeprefix('POWER_TYPE_')}" in pb.DecisionCategory.keys() and number
}


class PowerDirectory:
    """Which behaviour types an agency is empowered for, from its duty list.
    None when results knows no duty item of the agency (its power is unknown)."""

    async def categories(self, session, agency_code: str) -> set[int] | None:
        rows = (
            await session.exec(
                select(DutyPowerCopy.power_type, DutyPowerCopy.active).where(
                    DutyPowerCopy.agency_code == agency_code
                )
            )
        ).all()
        if not rows:
            return None
        return {_CATEGORY_BY_POWER[power] for power, active in rows if active and power in _CATEGORY_BY_POWER}

    def subscription(self) -> Subscription:
        async def on_duty_item(session, event, _inbound: InboundEvent) -> None:
            item = event.duty_item
            row = await session.get(DutyPowerCopy, (item.agency_code, item.code))
            version = item.publication.version
            if row is not None and row.version > version:
                return  # stale: versions make order harmless
            row = row or DutyPowerCopy(
                agency_code=item.agency_code, code=item.code, power_type=0, active=True, version=0
            )
            row.power_type, row.version = item.power_type, version
            row.active = not isinstance(event, duties_pb2.DutyItemRetired)
            session.add(row)

        subjects = [f"gongshi.duties.duty_item_{e}.>" for e in ("published", "revised", "retired")]
        return (
            Subscription("results-duty-powers", PUBLIC_STREAM, subjects)
            .on(duties_pb2.DutyItemPublished, on_duty_item)
            .on(duties_pb2.DutyItemRevised, on_duty_item)
            .on(duties_pb2.DutyItemRetired, on_duty_item)
        )


def power_status(category: int, decisions: int, empowered: set[int] | None) -> int:
    if decisions or (empowered is not None and category in empowered):
        return qpb.POWER_STATUS_HAS_POWER
    if empowered is None:
        return qpb.POWER_STATUS_UNKNOWN
    return qpb.POWER_STATUS_NO_POWER


def _scope(request, *, allow_category: bool = True) -> tuple[str, dict]:
    violations = []
    where = [f"status <> {pb.RESULT_STATUS_WITHDRAWN}"]
    params: dict = {}
    for name in ("agency_code", "region_code"):
        if getattr(request, name):
            where.append(f"{name} = :{name}")
            params[name] = getattr(request, name)
    for name, op in (("decided_from", ">="), ("decided_to", "<=")):
        value = getattr(request, name)
        if value:
            if domain.parse_date(value) is None:
                violations.append(FieldViolation(name, "must be a date in the form YYYY-MM-DD"))
            where.append(f"decision_date {op} :{name}")
            params[name] = value
    if allow_category and request.category:
        if request.category not in pb.DecisionCategory.values():
            violations.append(FieldViolation("category", f"unknown value {request.category}"))
        where.append("category = :category")
        params["category"] = request.category
    if violations:
        raise InvalidArgument(violations)
    return " AND ".join(where), params


_PUBLISHED = f"status IN ({', '.join(str(s) for s in PUBLISHED_STATUSES)})"
_TOTALS = (
    f"count(*), sum(CASE WHEN {_PUBLISHED} THEN 1 ELSE 0 END), "
    f"sum(CASE WHEN {_PUBLISHED} AND published_on_time THEN 1 ELSE 0 END), "
    "coalesce(sum(fine_amount_fen), 0), coalesce(sum(confiscation_amount_fen), 0)"
)


class ResultStatistics:
    def __init__(self, db, clock: Clock, powers: PowerDirectory | None = None) -> None:
        self.db = db
        self.clock = clock
        self.powers = powers or PowerDirectory()

    async def statistics(self, request: qpb.StatisticsRequest) -> qpb.StatisticsResponse:
        where, params = _scope(request)
        response = qpb.StatisticsResponse()
        async with self.db.reader() as session:

            async def rows(sql: str):
                return (await session.execute(text(sql), params)).all()

            for month, category, count in await rows(
                f"SELECT substr(decision_date, 1, 7) AS month, category, count(*) FROM results_search "
                f"WHERE {where} GROUP BY month, category ORDER BY month, category"
            ):
                response.per_month.append(
                    qpb.MonthCategoryCount(month=month, category=category, decisions=count)
                )
            (total,) = await rows(f"SELECT {_TOTALS} FROM results_search WHERE {where}")
            (
                response.decisions,
                response.published,
                response.published_on_time,
                response.fine_amount_fen,
                response.confiscation_amount_fen,
            ) = (int(v or 0) for v in total)
            penalties = f"{where} AND category = {pb.DECISION_CATEGORY_PENALTY}"
            for kind, count in await rows(
                f"SELECT top_penalty, count(*) FROM results_search WHERE {penalties} GROUP BY top_penalty"
            ):
                if kind:
                    response.penalty_kinds.append(qpb.PenaltyKindCount(kind=kind, decisions=count))
            for key, target in (("region_code", response.by_region), ("agency_code", response.by_agency)):
                groups = await rows(
                    f"SELECT {key}, {_TOTALS} FROM results_search WHERE {where} GROUP BY {key} "
                    f"ORDER BY count(*) DESC, {key} LIMIT {limits.MAX_STATISTICS_GROUPS}"
                )
                kinds = defaultdict(list)
                for group, kind, count in await rows(
                    f"SELECT {key}, top_penalty, count(*) FROM results_search WHERE {penalties} "
                    f"GROUP BY {key}, top_penalty"
                ):
                    if kind:
                        kinds[group].append(qpb.PenaltyKindCount(kind=kind, decisions=count))
                for group, decisions, published, on_time, fines, confiscations in groups:
                    target.append(
                        qpb.GroupTotals(
                            key=group,
                            decisions=decisions,
                            published=int(published or 0),
                            published_on_time=int(on_time or 0),
                            fine_amount_fen=int(fines or 0),
                            confiscation_amount_fen=int(confiscations or 0),
                            penalty_kinds=kinds[group],
                        )
                    )
            names = await _agency_names(session, [g.key for g in response.by_agency])
            for group in response.by_agency:
                group.name = names.get(group.key, "")
        return response

    async def annual_report(self, request: qpb.AnnualReportRequest) -> qpb.AnnualEnforcementReport:
        if not request.agency_code:
            raise InvalidArgument([FieldViolation("agency_code", "is required")])
        if not 1949 < request.year < 10_000:
            raise InvalidArgument([FieldViolation("year", "must be a calendar year such as 2026")])
        params = {
            "agency_code": request.agency_code,
            "decided_from": f"{request.year:04d}-01-01",
            "decided_to": f"{request.year:04d}-12-31",
        }
        where = (
            f"agency_code = :agency_code AND decision_date >= :decided_from AND decision_date <= :decided_to "
            f"AND status <> {pb.RESULT_STATUS_WITHDRAWN}"
        )
        report = qpb.AnnualEnforcementReport(
            agency_code=request.agency_code, year=request.year, generated_at=isoformat(self.clock.now())
        )
        async with self.db.reader() as session:
            agency = await session.get(AgencyCopy, request.agency_code)
            if agency is None:
                raise NotFound(f"no agency {request.agency_code} is known to the results service")
            report.agency_name = agency.name
            by_category = dict(
                (
                    await session.execute(
                        text(
                            f"SELECT category, count(*) FROM results_search WHERE {where} GROUP BY category"
                        ),
                        params,
                    )
                ).all()
            )
            by_kind = dict(
                (
                    await session.execute(
                        text(
                            f"SELECT top_penalty, count(*) FROM results_search WHERE {where} "
                            f"AND category = {pb.DECISION_CATEGORY_PENALTY} GROUP BY top_penalty"
                        ),
                        params,
                    )
                ).all()
            )
            amount = await session.scalar(
                text(
                    "SELECT coalesce(sum(fine_amount_fen), 0) + coalesce(sum(confiscation_amount_fen), 0) "
                    f"FROM results_search WHERE {where} AND category = {pb.DECISION_CATEGORY_PENALTY}"
                ),
                params,
            )
            empowered = await self.powers.categories(session, request.agency_code)
        for category in BEHAVIOUR_TYPES:
            decisions = by_category.get(category, 0)
            report.behaviours.append(
                qpb.BehaviourCount(
                    category=category, power=power_status(category, decisions, empowered), decisions=decisions
                )
            )
        for kinds in PENALTY_COLUMNS:
            count = by_kind.get(kinds[0], 0)
            report.penalty_table.append(qpb.PenaltyKindCount(kind=kinds[0], decisions=count))
        report.penalty_decisions = sum(c.decisions for c in report.penalty_table)
        report.fine_and_confiscation_fen = int(amount or 0)
        return report


async def _agency_names(session, codes: list[str]) -> dict[str, str]:
    if not codes:
        return {}
    rows = await session.execute(select(AgencyCopy.code, AgencyCopy.name).where(AgencyCopy.code.in_(codes)))
    return dict(rows.all())


def report_year_default(today: dt.date) -> int:
    """The year an annual report is due for: the previous calendar year (I1)."""
    return today.year - 1
