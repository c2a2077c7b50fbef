"""The feedback service in-process for tests: a real NATS server, a real
database (SQLite and PostgreSQL), real gRPC over a socket, and a clock the test
moves. Other services are played by publishing their events to NATS exactly
as they would (agencies, credentials, results). No tests here: the fixture and
helpers are shared by tests/integration/test_feedback_*.py."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import grpc
import nats
from google.protobuf.message import Message
from google.rpc import error_details_pb2
from grpc_status import rpc_status
from sqlmodel import select

from gongshi.v1 import common_pb2, duties_pb2, events_pb2, feedback_pb2_grpc, results_pb2
from gongshi.v1 import feedback_pb2 as pb
from services.feedback.config import FeedbackConfig
from services.feedback.main import build
from services.feedback.models import AgencyCopy, RecordCopy
from services.runtime import events as ev
from services.runtime.auth import new_token
from services.runtime.clock import CHINA_TZ, Clock
from services.runtime.settings import Settings

ADMIN_TOKEN = "feedback-test-admin-token"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(64))


class MovableClock(Clock):
    """A clock the test moves; handlers and the overdue job read it."""

    def __init__(self, instant: dt.datetime) -> None:
        super().__init__()
        self.instant = instant

    def now(self) -> dt.datetime:
        return self.instant

    def set(self, day: str, hour: int = 10, minute: int = 0) -> None:
        self.instant = dt.datetime.fromisoformat(day).replace(hour=hour, minute=minute, tzinfo=CHINA_TZ)


@dataclass
class Agency:
    code: str
    token: str

    @property
    def auth(self) -> list[tuple[str, str]]:
        return [("authorization", f"Bearer {self.token}")]


@dataclass
class Harness:
    runtime: object
    stub: feedback_pb2_grpc.FeedbackServiceStub
    clock: MovableClock
    nats_url: str
    port: int = 0
    client: str = field(default_factory=lambda: f"203.0.113.{uuid.uuid4().int % 250}")

    @property
    def scanner(self):
        return self.runtime.overdue_scanner

    async def publish(self, subject: str, message: Message) -> None:
        await self.runtime.bus.js.publish(
            subject,
            message.SerializeToString(),
            headers={ev.HEADER_MSG_ID: uuid.uuid4().hex, ev.HEADER_EVENT_TYPE: ev.event_type(message)},
            timeout=5,
        )

    async def agency(self, prefix: str = "SCJG", name: str = "测试市场监督管理局") -> Agency:
        """Register an agency and its credential the way duties announces them."""
        code = f"{prefix}-{uuid.uuid4().hex[:6]}"
        credential_id, token, digest = new_token()
        agency = duties_pb2.Agency(code=code, name=name, region_code="310101", version=1)
        await self.publish(
            f"gongshi.duties.agency_registered.{code}", duties_pb2.AgencyRegistered(agency=agency)
        )
        await self.publish(
            f"internal.auth.credential_issued.{code}",
            events_pb2.CredentialIssued(
                credential_id=credential_id,
                role=common_pb2.ROLE_AGENCY,
                agency_code=code,
                secret_sha256=digest,
                issued_at=dt.datetime.now(dt.UTC).isoformat(),
            ),
        )
        result = Agency(code, token)
        await wait_for(lambda: self._known(result))
        return result

    async def _known(self, agency: Agency) -> bool:
        async with self.runtime.db.reader() as session:
            if await session.get(AgencyCopy, agency.code) is None:
                return False
        try:
            await self.stub.ListAgencyFeedback(pb.ListAgencyFeedbackRequest(), metadata=agency.auth)
            return True
        except grpc.aio.AioRpcError as exc:
            if exc.code() == grpc.StatusCode.UNAUTHENTICATED:
                return False
            raise

    async def result(self, agency: Agency, **party) -> results_pb2.Result:
        result = results_pb2.Result(
            id=uuid.uuid4().hex[:26],
            agency_code=agency.code,
            version=1,
            status=results_pb2.RESULT_STATUS_PUBLISHED,
            document_number=f"沪黄市监罚〔2026〕{uuid.uuid4().int % 1000}号",
            party=results_pb2.PublicParty(
                type=party.get("type", results_pb2.PARTY_TYPE_LEGAL_PERSON),
                name=party.get("name", "上海某某餐饮管理有限公司"),
                uscc=party.get("uscc", "91310101MA1FPX1234"),
                id_number=party.get("id_number", ""),
            ),
            facts="经查，当事人经营超过保质期的食品。",
            conclusion="罚款人民币五万元",
        )
        await self.publish(
            f"gongshi.results.published.{agency.code}", results_pb2.ResultPublished(result=result)
        )
        await wait_for(lambda: self.record_state(result.id, pb.FEEDBACK_TARGET_TYPE_RESULT))
        return result

    async def record_state(self, record_id: str, kind: int) -> int:
        async with self.runtime.db.reader() as session:
            row = (
                await session.exec(
                    select(RecordCopy).where(RecordCopy.kind == kind, RecordCopy.record_id == record_id)
                )
            ).first()
        return row.state if row else 0

    async def submit(
        self, target: pb.FeedbackTarget, client: str | None = None, **fields
    ) -> pb.SubmitFeedbackResponse:
        request = pb.SubmitFeedbackRequest(
            target=target,
            category=fields.pop("category", pb.FEEDBACK_CATEGORY_COMPLAINT),
            text=fields.pop("text", f"执法人员未出示执法证件，编号{uuid.uuid4().hex[:6]}。"),
            **fields,
        )
        return await self.stub.SubmitFeedback(request, metadata=[("x-client-address", client or self.client)])

    async def on_agency(
        self, agency: Agency, client: str | None = None, **fields
    ) -> pb.SubmitFeedbackResponse:
        target = pb.FeedbackTarget(type=pb.FEEDBACK_TARGET_TYPE_AGENCY, id=agency.code)
        return await self.submit(target, client, **fields)

    async def events(self, subject: str, at_least: int = 0, wait: float = 10.0) -> list[tuple[str, bytes]]:
        """Every message on `subject` in the stream (read with an ordered consumer)."""
        await asyncio.sleep(0)  # let the relay run
        nc = await nats.connect(self.nats_url)
        try:
            sub = await nc.jetstream().subscribe(subject, ordered_consumer=True)
            received: list[tuple[str, bytes]] = []
            loop = asyncio.get_running_loop()
            deadline = loop.time() + wait
            while loop.time() < deadline:
                try:
                    msg = await sub.next_msg(timeout=0.3)
                    received.append((msg.subject, msg.data))
                except nats.errors.TimeoutError:
                    if len(received) >= at_least:
                        break
            return received
        finally:
            await nc.close()


async def wait_for(predicate, limit: float = 15.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    while not await predicate():
        assert loop.time() < deadline, "condition not reached in time"
        await asyncio.sleep(0.05)


@asynccontextmanager
async def running_feedback(db_url: str, nats_url: str, data_dir: Path, **config) -> AsyncIterator[Harness]:
    """The feedback service started in this event loop, its clock in the test's hand."""
    settings = Settings(
        data_dir=data_dir,
        nats_url=nats_url,
        feedback_port=0,
        feedback_metrics_port=0,
        feedback_db_url=db_url,
        admin_token=ADMIN_TOKEN,
        outbox_poll_seconds=0.1,
    )
    runtime = build(settings, FeedbackConfig(overdue_scan_seconds=0.1, **config))
    clock = MovableClock(dt.datetime(2026, 11, 2, 10, 0, tzinfo=CHINA_TZ))
    runtime.clock = clock
    port = await runtime.start()
    channel = grpc.aio.insecure_channel(f"127.0.0.1:{port}")
    try:
        yield Harness(runtime, feedback_pb2_grpc.FeedbackServiceStub(channel), clock, nats_url, port=port)
    finally:
        await channel.close()
        await runtime.stop()


def violations(exc: grpc.aio.AioRpcError) -> dict[str, str]:
    status = rpc_status.from_call(exc)
    out = {}
    for detail in status.details if status else []:
        bad = error_details_pb2.BadRequest()
        if detail.Unpack(bad):
            out.update({v.field: v.description for v in bad.field_violations})
    return out


def key_of(reply: pb.SubmitFeedbackResponse) -> pb.TrackingKey:
    return pb.TrackingKey(tracking_code=reply.tracking_code, secret=reply.secret)


async def overdue_events(
    h: Harness, agency: Agency, at_least: int = 0, wait: float = 3.0
) -> list[pb.FeedbackOverdue]:
    messages = await h.events(f"gongshi.feedback.overdue.{agency.code}", at_least=at_least, wait=wait)
    return [pb.FeedbackOverdue.FromString(data) for _, data in messages]
