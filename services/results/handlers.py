"""Use cases of the results service: load, apply the domain rules, save the
change and its event in one transaction."""

from __future__ import annotations

import base64
import json
from dataclasses import asdict, dataclass, field

from sqlalchemy import func, tuple_
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from gongshi.v1 import results_pb2 as pb
from services.results import domain
from services.results.models import AgencyCopy, ResultPrivateRow, ResultRow
from services.results.search import index_result
from services.runtime import audit, limits
from services.runtime import events as ev
from services.runtime.app import ServiceRuntime
from services.runtime.auth import Principal, require_agency_writer
from services.runtime.calendar import WorkingDayCalendar, default_calendar
from services.runtime.clock import CHINA_TZ, isoformat
from services.runtime.errors import FailedPrecondition, NotFound, invalid
from services.runtime.ids import new_id
from services.runtime.masking import DEFAULT_POLICY, MaskingPolicy
from services.runtime.outbox import enqueue

SERVICE = "results"


class AgencyDirectory:
    """Agencies known locally (from duties' events), cached in memory: they
    change rarely and are read on every publish."""

    def __init__(self, runtime: ServiceRuntime) -> None:
        self.runtime = runtime
        self._cache: dict[str, AgencyCopy] = {}

    async def get(self, code: str) -> AgencyCopy:
        agency = self._cache.get(code)
        if agency is None:
            async with self.runtime.db.reader() as session:
                agency = await session.get(AgencyCopy, code)
            if agency is None:
                raise FailedPrecondition(
                    f"agency {code} is not known to the results service yet; register it with the duties "
                    "service (its registration event may still be on its way)"
                )
            self._cache[code] = agency
        return agency

    def forget(self, code: str) -> None:
        self._cache.pop(code, None)


@dataclass
class ResultsHandlers:
    runtime: ServiceRuntime
    agencies: AgencyDirectory
    calendar: WorkingDayCalendar = field(default_factory=default_calendar)
    masking: MaskingPolicy = DEFAULT_POLICY

    @property
    def db(self):
        return self.runtime.db

    async def publish_decision(
        self, principal: Principal | None, agency_code: str, decision: pb.Decision
    ) -> tuple[pb.Result, bool]:
        agency_code = agency_code or (principal.agency_code if principal else "")
        require_agency_writer(principal, agency_code)
        agency = await self.agencies.get(agency_code)
        now = self.runtime.clock.now()
        domain.validate_decision(decision, now.astimezone(CHINA_TZ).date())
        try:
            async with self.db.transaction("results.publish") as session:
                existing = await _by_natural_key(session, agency_code, decision.document_number)
                if existing is not None:
                    return pb.Result.FromString(existing.doc), False
                result = await self._store_new(session, agency, decision, now)
                audit.record(
                    session,
                    principal,
                    operation="PublishDecision",
                    record_type="result",
                    record_id=result.id,
                    before=None,
                    after=result,
                    now=now,
                )
        except IntegrityError:
            # A concurrent retry of the same push won the insert: answer with its record.
            async with self.db.reader() as session:
                existing = await _by_natural_key(session, agency_code, decision.document_number)
            if existing is None:
                raise
            return pb.Result.FromString(existing.doc), False
        self.runtime.relay.notify()
        return result, True

    async def _store_new(self, session, agency: AgencyCopy, decision: pb.Decision, now) -> pb.Result:
        agency_code = agency.code
        decided = domain.parse_date(decision.decision_date)
        deadline, note = domain.publication_deadline(decision.category, decided, self.calendar)
        withheld = domain.must_not_be_published(decision)
        status = pb.RESULT_STATUS_NOT_PUBLISHED if withheld else pb.RESULT_STATUS_PUBLISHED
        result_id = new_id()
        masked, applied = domain.mask_decision(decision, self.masking)
        result = domain.public_view(
            result_id,
            agency_code,
            agency.region_code,
            masked,
            published_at=isoformat(now),
            published_on=now.astimezone(CHINA_TZ).date(),
            deadline=deadline,
            deadline_note=note,
            status=status,
        )
        session.add(
            ResultRow(
                id=result_id,
                agency_code=agency_code,
                document_number=decision.document_number,
                region_code=agency.region_code,
                category=decision.category,
                status=status,
                public=not withheld,
                decision_date=decision.decision_date,
                doc=result.SerializeToString(),
                created_at=now,
                updated_at=now,
            )
        )
        session.add(
            ResultPrivateRow(
                result_id=result_id,
                decision=decision.SerializeToString(),
                non_publication_reason=withheld,
                redaction_log=json.dumps([asdict(rule) for rule in applied]),
            )
        )
        await index_result(session, result, public=not withheld)
        if not withheld:
            enqueue(
                session,
                ev.Event(ev.subject(SERVICE, "published", agency_code), pb.ResultPublished(result=result)),
                source=SERVICE,
                now=now,
            )
        return result

    async def get_result(self, result_id: str) -> pb.Result:
        async with self.db.reader() as session:
            row = await session.get(ResultRow, result_id)
        if row is None or not row.public:
            raise NotFound(f"no public result with id {result_id}")
        return pb.Result.FromString(row.doc)

    async def list_results(self, request: pb.ListResultsRequest) -> pb.ListResultsResponse:
        page_size = request.page.page_size or limits.DEFAULT_PAGE_SIZE
        if not 0 < page_size <= limits.MAX_PAGE_SIZE:
            raise invalid("page.page_size", f"must be between 1 and {limits.MAX_PAGE_SIZE}")
        filters = [ResultRow.public.is_(True)]
        if request.agency_code:
            filters.append(ResultRow.agency_code == request.agency_code)
        if request.region_code:
            filters.append(ResultRow.region_code == request.region_code)
        if request.category:
            filters.append(ResultRow.category == request.category)
        for name, op in (("decided_from", "__ge__"), ("decided_to", "__le__")):
            value = getattr(request, name)
            if value:
                if domain.parse_date(value) is None:
                    raise invalid(name, "must be a date in the form YYYY-MM-DD")
                filters.append(getattr(ResultRow.decision_date, op)(value))
        page_filters = list(filters)
        if request.page.page_token:
            date, result_id = _decode_cursor(request.page.page_token)
            # Stable order: newest decision first, then id; the cursor is the last row seen.
            page_filters.append(tuple_(ResultRow.decision_date, ResultRow.id) < (date, result_id))
        query = (
            select(ResultRow.doc, ResultRow.decision_date, ResultRow.id)
            .where(*page_filters)
            .order_by(ResultRow.decision_date.desc(), ResultRow.id.desc())
            .limit(page_size + 1)
        )
        async with self.db.reader() as session:
            rows = (await session.exec(query)).all()
            total = await session.scalar(select(func.count()).select_from(ResultRow).where(*filters))
        response = pb.ListResultsResponse(total=total)
        for doc, _, _ in rows[:page_size]:
            response.results.append(pb.Result.FromString(doc))
        if len(rows) > page_size:
            last = rows[page_size - 1]
            response.next_page_token = _encode_cursor(last[1], last[2])
        return response


async def _by_natural_key(session, agency_code: str, document_number: str) -> ResultRow | None:
    query = select(ResultRow).where(
        ResultRow.agency_code == agency_code, ResultRow.document_number == document_number
    )
    return (await session.exec(query)).first()


def _encode_cursor(decision_date: str, result_id: str) -> str:
    return base64.urlsafe_b64encode(f"{decision_date}|{result_id}".encode()).decode().rstrip("=")


def _decode_cursor(token: str) -> tuple[str, str]:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        date, result_id = raw.split("|", 1)
    except Exception as exc:
        raise invalid("page.page_token", "is not a cursor this service issued") from exc
    if domain.parse_date(date) is None:
        raise invalid("page.page_token", "is not a cursor this service issued")
    return date, result_id
