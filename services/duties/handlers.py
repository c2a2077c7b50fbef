"""Use cases of the duties service: agencies and credentials (administrators),
and the agencies' own versioned records: officers, legal bases, duty items."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field

from sqlalchemy import delete, func
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from gongshi.v1 import common_pb2
from gongshi.v1 import duties_pb2 as pb
from services.duties import domain
from services.duties.models import (
    AgencyRow,
    AgencyVersionRow,
    CitationRow,
    DutiesRecordRow,
    DutiesRecordVersionRow,
    OfficerPrivateRow,
)
from services.duties.propagation import AGENCY_COPIES, await_copies, credential_copies
from services.runtime import audit, limits, publication
from services.runtime import events as ev
from services.runtime.app import ServiceRuntime
from services.runtime.auth import CredentialRow, Principal, is_revoked, new_token, require_admin
from services.runtime.clock import isoformat
from services.runtime.errors import (
    AlreadyExists,
    FailedPrecondition,
    FieldViolation,
    InvalidArgument,
    NotFound,
    invalid,
)
from services.runtime.outbox import enqueue
from services.runtime.validation import Checker
from services.runtime.versioned import (
    PutItem,
    PutOutcome,
    RecordSpec,
    RecordWriter,
    VersionedRecordsApi,
    VersionedStore,
    page_query,
)

SERVICE = "duties"
OFFICER, DUTY_ITEM, LEGAL_BASIS = pb.RECORD_KIND_OFFICER, pb.RECORD_KIND_DUTY_ITEM, pb.RECORD_KIND_LEGAL_BASIS


@dataclass
class DutiesHandlers(VersionedRecordsApi):
    runtime: ServiceRuntime
    store: VersionedStore = field(init=False)
    records: RecordWriter = field(init=False)
    # The gateway names its credential copy after GONGSHI_GATEWAY_NAME.
    credential_copies: tuple[str, ...] = field(
        default_factory=lambda: credential_copies(os.environ.get("GONGSHI_GATEWAY_NAME", "gateway"))
    )

    def __post_init__(self) -> None:
        self.store = VersionedStore(DutiesRecordRow, DutiesRecordVersionRow)
        self.records = RecordWriter(SERVICE, self.runtime, self.store, self.region_of)
        for spec in self._specs():
            self.records.specs[spec.kind] = spec

    def _specs(self) -> list[RecordSpec]:
        return [
            RecordSpec(
                kind=OFFICER,
                label="officer",
                message=pb.Officer,
                event_field="officer",
                events=(pb.OfficerPublished, pb.OfficerRevised, pb.OfficerRetired),
                validate=domain.validate_officer,
                name_of=lambda o: o.name,
                code_field="certificate_number",
                category_of=lambda o: o.status,
                check=self._check_certificate_is_ours,
            ),
            RecordSpec(
                kind=LEGAL_BASIS,
                label="legal_basis",
                message=pb.LegalBasis,
                event_field="legal_basis",
                events=(pb.LegalBasisPublished, pb.LegalBasisRevised, pb.LegalBasisRetired),
                validate=domain.validate_legal_basis,
                name_of=lambda b: f"{b.instrument_title}{b.article}",
                category_of=lambda b: b.level,
                after_change=self._after_basis_change,
            ),
            RecordSpec(
                kind=DUTY_ITEM,
                label="duty_item",
                message=pb.DutyItem,
                event_field="duty_item",
                events=(pb.DutyItemPublished, pb.DutyItemRevised, pb.DutyItemRetired),
                validate=domain.validate_duty_item,
                name_of=lambda d: d.name,
                category_of=lambda d: d.power_type,
                derived_fields=("publication", "region_code", "needs_review", "review_reason"),
                check=self._check_cited_bases,
                after_change=self._after_duty_item_change,
            ),
        ]

    async def register_agency(
        self, principal: Principal | None, agency: pb.Agency, reason: str = ""
    ) -> tuple[pb.Agency, bool]:
        require_admin(principal)
        domain.validate_agency(agency)
        publication.check_reason(reason, required=False)
        now = self.runtime.clock.now()
        async with self.runtime.db.transaction("duties.register_agency") as session:
            row = await session.get(AgencyRow, agency.code)
            stored = pb.Agency()
            stored.CopyFrom(agency)
            stored.updated_at = isoformat(now)
            if row is not None:
                current = _agency_content(pb.Agency.FromString(row.doc))
                if current == _agency_content(agency):
                    return pb.Agency.FromString(row.doc), False
                stored.version = row.version + 1
                stored.change_reason = reason or "变更登记信息"
            else:
                stored.version = 1
                stored.change_reason = reason or "登记"
                row = AgencyRow(code=agency.code, region_code="", name="", version=0, doc=b"", updated_at=now)
            before = row.doc or None
            row.region_code, row.name, row.version = stored.region_code, stored.name, stored.version
            row.doc, row.updated_at = stored.SerializeToString(), now
            session.add(row)
            # Earlier versions stay readable: the current row is overwritten, the history is not.
            session.add(
                AgencyVersionRow(code=agency.code, version=stored.version, doc=row.doc, changed_at=now)
            )
            audit.record(
                session,
                principal,
                operation="RegisterAgency",
                record_type="agency",
                record_id=agency.code,
                before=before,
                after=stored,
                now=now,
            )
            event = ev.Event(
                ev.subject(SERVICE, "agency_registered", agency.code), pb.AgencyRegistered(agency=stored)
            )
            enqueue(session, event, source=SERVICE, now=now)
        self.runtime.relay.notify()
        await await_copies(self.runtime, event.event_id, event.subject, AGENCY_COPIES)
        return stored, True

    async def issue_credential(
        self, principal: Principal | None, request: pb.IssueCredentialRequest
    ) -> pb.IssueCredentialResponse:
        require_admin(principal)
        if request.role not in (common_pb2.ROLE_AGENCY, common_pb2.ROLE_OVERSIGHT):
            raise invalid("role", "must be ROLE_AGENCY or ROLE_OVERSIGHT")
        if request.role == common_pb2.ROLE_AGENCY and not request.agency_code:
            raise invalid("agency_code", "is required for an agency credential")
        if request.role == common_pb2.ROLE_OVERSIGHT and request.agency_code:
            raise invalid("agency_code", "must be empty for an oversight credential")
        now = self.runtime.clock.now()
        credential_id, token, digest = new_token()
        async with self.runtime.db.transaction("duties.issue_credential") as session:
            if request.agency_code and await session.get(AgencyRow, request.agency_code) is None:
                raise NotFound(f"no agency with code {request.agency_code}")
            session.add(
                CredentialRow(
                    credential_id=credential_id,
                    role=request.role,
                    agency_code=request.agency_code,
                    secret_sha256=digest,
                    issued_at=now,
                )
            )
            audit.record(
                session,
                principal,
                operation="IssueCredential",
                record_type="credential",
                record_id=credential_id,
                before=None,
                after=digest,
                now=now,
            )
            owner = request.agency_code or ev.PLATFORM_OWNER
            event = ev.Event(
                ev.subject("auth", "credential_issued", owner, internal=True),
                pb.CredentialIssued(
                    credential_id=credential_id,
                    role=request.role,
                    agency_code=request.agency_code,
                    secret_sha256=digest,
                    issued_at=now.isoformat(),
                ),
            )
            enqueue(session, event, source=SERVICE, now=now)
        self.runtime.relay.notify()
        await await_copies(self.runtime, event.event_id, event.subject, self.credential_copies)
        return pb.IssueCredentialResponse(credential_id=credential_id, token=token)

    async def revoke_credential(self, principal: Principal | None, credential_id: str) -> bool:
        require_admin(principal)
        now = self.runtime.clock.now()
        async with self.runtime.db.transaction("duties.revoke_credential") as session:
            row = await session.get(CredentialRow, credential_id)
            if row is None:
                raise NotFound(f"no credential with id {credential_id}")
            if is_revoked(row, now):
                return False
            row.revoked_at = now
            session.add(row)
            audit.record(
                session,
                principal,
                operation="RevokeCredential",
                record_type="credential",
                record_id=credential_id,
                before=row.secret_sha256,
                after=None,
                now=now,
            )
            enqueue(
                session,
                ev.Event(
                    ev.subject(
                        "auth", "credential_revoked", row.agency_code or ev.PLATFORM_OWNER, internal=True
                    ),
                    pb.CredentialRevoked(
                        credential_id=credential_id, agency_code=row.agency_code, revoked_at=now.isoformat()
                    ),
                ),
                source=SERVICE,
                now=now,
            )
        self.runtime.authenticator.forget(credential_id)
        self.runtime.relay.notify()
        return True

    async def rotate_credential(
        self, principal: Principal | None, request: pb.RotateCredentialRequest
    ) -> pb.RotateCredentialResponse:
        """Issue a new credential for the same role and agency; the old one is
        refused from now + grace (its local copies learn both through events)."""
        require_admin(principal)
        if not 0 <= request.grace_seconds <= limits.MAX_ROTATION_GRACE_SECONDS:
            raise invalid(
                "grace_seconds", f"must be between 0 and {limits.MAX_ROTATION_GRACE_SECONDS} seconds"
            )
        now = self.runtime.clock.now()
        revoke_at = now + dt.timedelta(seconds=request.grace_seconds)
        credential_id, token, digest = new_token()
        async with self.runtime.db.transaction("duties.rotate_credential") as session:
            old = await session.get(CredentialRow, request.credential_id)
            if old is None:
                raise NotFound(f"no credential with id {request.credential_id}")
            if is_revoked(old, now):
                raise FailedPrecondition(f"credential {request.credential_id} is revoked; issue a new one")
            if old.revoked_at is not None:
                revoke_at = min(revoke_at, old.revoked_at.replace(tzinfo=old.revoked_at.tzinfo or dt.UTC))
            session.add(
                CredentialRow(
                    credential_id=credential_id,
                    role=old.role,
                    agency_code=old.agency_code,
                    secret_sha256=digest,
                    issued_at=now,
                )
            )
            old.revoked_at = revoke_at
            session.add(old)
            audit.record(
                session,
                principal,
                operation="RotateCredential",
                record_type="credential",
                record_id=request.credential_id,
                before=old.secret_sha256,
                after=digest,
                now=now,
            )
            owner = old.agency_code or ev.PLATFORM_OWNER
            issued = pb.CredentialIssued(
                credential_id=credential_id,
                role=old.role,
                agency_code=old.agency_code,
                secret_sha256=digest,
                issued_at=now.isoformat(),
            )
            revoked = pb.CredentialRevoked(
                credential_id=old.credential_id, agency_code=old.agency_code, revoked_at=revoke_at.isoformat()
            )
            events = [
                ev.Event(ev.subject("auth", name, owner, internal=True), message)
                for name, message in (("credential_issued", issued), ("credential_revoked", revoked))
            ]
            for event in events:
                enqueue(session, event, source=SERVICE, now=now)
        self.runtime.authenticator.forget(request.credential_id)
        self.runtime.relay.notify()
        # Both events share a subject: waiting for the later one covers the first.
        await await_copies(self.runtime, events[-1].event_id, events[-1].subject, self.credential_copies)
        return pb.RotateCredentialResponse(
            credential_id=credential_id, token=token, old_revoked_at=isoformat(revoke_at)
        )

    async def get_agency(self, code: str) -> pb.Agency:
        async with self.runtime.db.reader() as session:
            row = await session.get(AgencyRow, code)
        if row is None:
            raise NotFound(f"no agency with code {code}")
        return pb.Agency.FromString(row.doc)

    async def list_agencies(self, request: pb.ListAgenciesRequest) -> pb.ListAgenciesResponse:
        page_size = request.page.page_size or limits.DEFAULT_PAGE_SIZE
        if not 0 < page_size <= limits.MAX_PAGE_SIZE:
            raise invalid("page.page_size", f"must be between 1 and {limits.MAX_PAGE_SIZE}")
        filters = [AgencyRow.region_code == request.region_code] if request.region_code else []
        if request.page.page_token:
            filters.append(AgencyRow.code > request.page.page_token)
        query = (
            select(AgencyRow.doc, AgencyRow.code)
            .where(*filters)
            .order_by(AgencyRow.code)
            .limit(page_size + 1)
        )
        async with self.runtime.db.reader() as session:
            rows = (await session.exec(query)).all()
            count_filters = [AgencyRow.region_code == request.region_code] if request.region_code else []
            total = await session.scalar(select(func.count()).select_from(AgencyRow).where(*count_filters))
        response = pb.ListAgenciesResponse(total=total)
        response.agencies.extend(pb.Agency.FromString(doc) for doc, _ in rows[:page_size])
        if len(rows) > page_size:
            response.next_page_token = rows[page_size - 1][1]
        return response

    async def list_agency_versions(
        self, request: pb.ListAgencyVersionsRequest
    ) -> pb.ListAgencyVersionsResponse:
        page = page_query(request.page)
        after = 0
        if page.token:
            if not page.token.isdigit():
                raise invalid("page.page_token", "is not a cursor this service issued")
            after = int(page.token)
        async with self.runtime.db.reader() as session:
            if await session.get(AgencyRow, request.code) is None:
                raise NotFound(f"no agency with code {request.code}")
            filters = [AgencyVersionRow.code == request.code]
            query = (
                select(AgencyVersionRow.doc, AgencyVersionRow.version)
                .where(*filters, AgencyVersionRow.version > after)
                .order_by(AgencyVersionRow.version)
                .limit(page.page_size + 1)
            )
            rows = (await session.exec(query)).all()
            total = await session.scalar(select(func.count()).select_from(AgencyVersionRow).where(*filters))
        response = pb.ListAgencyVersionsResponse(total=total or 0)
        response.versions.extend(pb.Agency.FromString(doc) for doc, _ in rows[: page.page_size])
        if len(rows) > page.page_size:
            response.next_page_token = str(rows[page.page_size - 1][1])
        return response

    # -- versioned records ---------------------------------------------------

    async def region_of(self, agency_code: str) -> str:
        async with self.runtime.db.reader() as session:
            row = await session.get(AgencyRow, agency_code)
        if row is None:
            raise FailedPrecondition(
                f"no agency with code {agency_code}; an administrator registers it first"
            )
        return row.region_code

    async def put_officer(
        self, principal: Principal | None, request: pb.PutOfficerRequest
    ) -> tuple[pb.Officer, bool]:
        officer = pb.Officer()
        officer.CopyFrom(request.officer)
        if officer.status == pb.CERTIFICATE_STATUS_UNSPECIFIED:
            officer.status = pb.CERTIFICATE_STATUS_ACTIVE
        private_given = request.HasField("private")
        if private_given:
            domain.validate_officer_private(request.private)
        stored, changed = await self.records.put(
            principal, self.records.spec(OFFICER), officer, request.reason, request.publish
        )
        if private_given and await self._save_private(principal, stored, request.private):
            changed = True
        return stored, changed

    async def _save_private(
        self, principal: Principal | None, officer: pb.Officer, private: pb.OfficerPrivate
    ) -> bool:
        now = self.runtime.clock.now()
        key = (officer.agency_code, officer.certificate_number)
        async with self.runtime.db.transaction("duties.officer_private") as session:
            row = await session.get(OfficerPrivateRow, key)
            if row is not None and row.id_number == private.id_number and row.photo == private.photo:
                return False
            before = private_digest_input(row) if row is not None else None
            row = row or OfficerPrivateRow(agency_code=key[0], certificate_number=key[1], updated_at=now)
            row.id_number, row.photo, row.updated_at = private.id_number, private.photo, now
            session.add(row)
            audit.record(
                session,
                principal,
                operation="PutOfficerPrivate",
                record_type="officer_private",
                record_id=f"{key[0]}/{key[1]}",
                before=before,
                after=private_digest_input(row),
                now=now,
            )
        return True

    async def put_legal_basis(
        self, principal: Principal | None, request: pb.PutLegalBasisRequest
    ) -> tuple[pb.LegalBasis, bool]:
        return await self.records.put(
            principal, self.records.spec(LEGAL_BASIS), request.legal_basis, request.reason, request.publish
        )

    async def import_duty_items(
        self, principal: Principal | None, requests: list[pb.PutDutyItemRequest]
    ) -> list[PutOutcome]:
        """A chunk of a duty list, stored in one transaction; one outcome per row."""
        items = [PutItem(r.duty_item, r.reason, r.publish) for r in requests]
        return await self.records.put_many(principal, self.records.spec(DUTY_ITEM), items)

    async def put_duty_item(
        self, principal: Principal | None, request: pb.PutDutyItemRequest
    ) -> tuple[pb.DutyItem, bool]:
        return await self.records.put(
            principal, self.records.spec(DUTY_ITEM), request.duty_item, request.reason, request.publish
        )

    async def check_certificate(self, certificate_number: str) -> pb.CheckCertificateResponse:
        """執法證核驗 (DOMAIN.md C1): public fields and today's validity, nothing else."""
        today = self.runtime.clock.today()
        response = pb.CheckCertificateResponse(checked_on=today.isoformat())
        if len(certificate_number) > 64:
            raise invalid("certificate_number", "is longer than 64 characters")
        spec = self.records.spec(OFFICER)
        async with self.runtime.db.reader() as session:
            states = [
                s for s in await self.store.find_code(session, OFFICER, certificate_number) if s.shown_version
            ]
            if not states:
                response.validity = pb.CERTIFICATE_VALIDITY_UNKNOWN
                return response
            state = states[0]
            row = await self.store.version(
                session, OFFICER, state.agency_code, state.code, state.shown_version
            )
            agency = await session.get(AgencyRow, state.agency_code)
        officer = self.store.view(spec, state, row)
        response.validity = domain.certificate_validity(officer, row.status, today)
        response.officer.CopyFrom(officer)
        response.agency_name = agency.name if agency else ""
        return response

    async def repeal_instrument(
        self, principal: Principal | None, request: pb.RepealInstrumentRequest
    ) -> pb.RepealInstrumentResponse:
        agency_code = self.records.owner(principal, request.agency_code)
        c = Checker("")
        c.text("instrument_title", request.instrument_title, required=True)
        c.date("repealed_date", request.repealed_date, required=True)
        c.text("reason", request.reason, limits.MEDIUM_TEXT, required=True)
        c.raise_if_any()
        spec = self.records.spec(LEGAL_BASIS)
        async with self.runtime.db.reader() as session:
            S, V = DutiesRecordRow, DutiesRecordVersionRow
            rows = (
                await session.exec(
                    select(V)
                    .join(S, (S.kind == V.kind) & (S.agency_code == V.agency_code) & (S.code == V.code))
                    .where(S.kind == LEGAL_BASIS, S.agency_code == agency_code, V.version == S.public_version)
                )
            ).all()
        response = pb.RepealInstrumentResponse()
        for row in rows:
            basis = pb.LegalBasis.FromString(row.doc)
            if basis.instrument_title != request.instrument_title:
                continue
            response.legal_basis_codes.append(basis.code)
            if basis.repealed_date:
                continue  # already repealed: a retried call changes nothing
            basis.repealed_date = request.repealed_date
            await self.records.put(principal, spec, basis, request.reason, True)
        if not response.legal_basis_codes:
            raise NotFound(f"agency {agency_code} publishes no legal basis of 《{request.instrument_title}》")
        async with self.runtime.db.reader() as session:
            cited = await session.exec(
                select(CitationRow.duty_item_code)
                .where(
                    CitationRow.agency_code == agency_code,
                    CitationRow.basis_code.in_(response.legal_basis_codes),
                )
                .distinct()
                .order_by(CitationRow.duty_item_code)
            )
            response.flagged_duty_item_codes.extend(cited.all())
        return response

    # -- hooks of the records (run inside the write's transaction) ------------

    async def _check_certificate_is_ours(self, session: AsyncSession, officer: pb.Officer) -> None:
        for state in await self.store.find_code(session, OFFICER, officer.certificate_number):
            if state.agency_code != officer.agency_code:
                raise AlreadyExists(
                    f"officer.certificate_number: {officer.certificate_number} is registered by agency "
                    f"{state.agency_code}; certificate numbers are unique on the platform"
                )

    async def _check_cited_bases(self, session: AsyncSession, item: pb.DutyItem) -> None:
        codes = list(item.legal_basis_codes)
        found = set(
            (
                await session.exec(
                    select(DutiesRecordRow.code).where(
                        DutiesRecordRow.kind == LEGAL_BASIS,
                        DutiesRecordRow.agency_code == item.agency_code,
                        DutiesRecordRow.code.in_(codes),
                        DutiesRecordRow.public_version > 0,
                    )
                )
            ).all()
        )
        missing = [
            FieldViolation(
                f"duty_item.legal_basis_codes[{i}]",
                f"agency {item.agency_code} publishes no legal basis {code}; publish the basis first",
            )
            for i, code in enumerate(codes)
            if code not in found
        ]
        if missing:
            raise InvalidArgument(missing)

    async def _after_duty_item_change(
        self,
        session: AsyncSession,
        principal: Principal | None,
        item: pb.DutyItem,
        event: str,
        now: dt.datetime,
    ) -> None:
        # No session synchronisation: citation rows are never loaded as objects.
        await session.exec(
            delete(CitationRow)
            .where(CitationRow.agency_code == item.agency_code, CitationRow.duty_item_code == item.code)
            .execution_options(synchronize_session=False)
        )
        if event != "retired":
            for code in dict.fromkeys(item.legal_basis_codes):
                session.add(
                    CitationRow(agency_code=item.agency_code, duty_item_code=item.code, basis_code=code)
                )

    async def _after_basis_change(
        self,
        session: AsyncSession,
        principal: Principal | None,
        basis: pb.LegalBasis,
        event: str,
        now: dt.datetime,
    ) -> None:
        if event == "retired":
            reason = f"所引用的执法依据《{basis.instrument_title}》{basis.article}已停止公示，待复核"
            await self._flag_citing(session, principal, basis, reason, now)
            return
        if not basis.repealed_date or await self._was_repealed_before(session, basis):
            return
        enqueue(
            session,
            ev.Event(
                ev.subject(SERVICE, "legal_basis_repealed", basis.agency_code),
                pb.LegalBasisRepealed(legal_basis=basis),
            ),
            source=SERVICE,
            now=now,
        )
        cited = f"《{basis.instrument_title}》{basis.article}"
        reason = f"所引用的执法依据{cited}已于{basis.repealed_date}废止，待复核"
        await self._flag_citing(session, principal, basis, reason, now)

    async def _was_repealed_before(self, session: AsyncSession, basis: pb.LegalBasis) -> bool:
        V = DutiesRecordVersionRow
        previous = (
            await session.exec(
                select(V.doc)
                .where(
                    V.kind == LEGAL_BASIS,
                    V.agency_code == basis.agency_code,
                    V.code == basis.code,
                    V.version < basis.publication.version,
                    V.published_at.is_not(None),
                )
                .order_by(V.version.desc())
                .limit(1)
            )
        ).first()
        return previous is not None and bool(pb.LegalBasis.FromString(previous).repealed_date)

    async def _flag_citing(
        self,
        session: AsyncSession,
        principal: Principal | None,
        basis: pb.LegalBasis,
        reason: str,
        now: dt.datetime,
    ) -> None:
        """Flag every published duty item citing the basis, one event each."""
        codes = (
            await session.exec(
                select(CitationRow.duty_item_code).where(
                    CitationRow.agency_code == basis.agency_code, CitationRow.basis_code == basis.code
                )
            )
        ).all()
        for code in codes:
            state = await self.store.state(session, DUTY_ITEM, basis.agency_code, code)
            if state is None or not state.public_version:
                continue
            before = state.review_reason
            if reason not in state.review_reason:
                state.review_reason = "；".join(r for r in (state.review_reason, reason) if r)
            session.add(state)
            audit.record(
                session,
                principal,
                operation="FlagDutyItemForReview",
                record_type="duty_item",
                record_id=f"{basis.agency_code}/{code}",
                before=before.encode(),
                after=state.review_reason.encode(),
                now=now,
            )
            enqueue(
                session,
                ev.Event(
                    ev.subject(SERVICE, "duty_item_review_flagged", basis.agency_code),
                    pb.DutyItemReviewFlagged(
                        agency_code=basis.agency_code,
                        code=code,
                        name=state.name,
                        version=state.public_version,
                        legal_basis_code=basis.code,
                        instrument_title=basis.instrument_title,
                        repealed_date=basis.repealed_date,
                        reason=reason,
                        flagged_at=isoformat(now),
                    ),
                ),
                source=SERVICE,
                now=now,
            )


def _agency_content(agency: pb.Agency) -> pb.Agency:
    """An agency without what the service sets, to tell a real change from a retry."""
    content = pb.Agency()
    content.CopyFrom(agency)
    for name in ("version", "updated_at", "change_reason"):
        content.ClearField(name)
    return content


def private_digest_input(row: OfficerPrivateRow) -> bytes:
    """What the audit log digests for private data (never the data itself in the clear)."""
    return row.id_number.encode() + b"|" + row.photo
