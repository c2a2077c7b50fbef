"""Loading the demo results plan (services/demo/results.py) into a running
platform through the real gRPC APIs: agencies the ex-ante demo does not
register, then each agency's decisions and what happens to them after
publication (corrections, withdrawals, appeals, replies, credit repair).
Idempotent by document number: loading twice adds nothing."""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Callable

import grpc

from gongshi.v1 import common_pb2, duties_pb2, duties_pb2_grpc, results_pb2_grpc
from gongshi.v1 import results_pb2 as pb
from services.demo.exante import _auth, _eventually, admin_token
from services.demo.results import AGENCIES, Planned, build_plan
from services.launcher import grpc_healthy
from services.runtime.clock import CHINA_TZ
from services.runtime.settings import Settings

# Events carry duty items to results; give them time on a cold start.
DUTY_WAIT_SECONDS = 60.0


def load_results(settings: Settings, *, log: Callable[[str], None] = lambda _m: None) -> dict[str, int]:
    """Push the demo results through the platform's APIs. Returns what was
    written this time (0s on a repeat load)."""
    if not grpc_healthy(settings.grpc_addr("results")):
        # Loading only part of the demo beats failing all of it; say so plainly.
        log(f"  results service not reachable at {settings.grpc_addr('results')}: no demo results loaded")
        return {"unreachable": 1}
    today = dt.datetime.now(CHINA_TZ).date()
    plan = build_plan(today)
    token = admin_token(settings)
    counts: Counter[str] = Counter()
    with (
        grpc.insecure_channel(settings.grpc_addr("duties")) as duties_channel,
        grpc.insecure_channel(settings.grpc_addr("results")) as results_channel,
    ):
        admin = duties_pb2_grpc.AdminServiceStub(duties_channel)
        results = results_pb2_grpc.ResultsServiceStub(results_channel)
        for agency in AGENCIES:
            if agency.seed is not None:
                _eventually(
                    lambda agency=agency: admin.RegisterAgency(
                        duties_pb2.RegisterAgencyRequest(agency=agency.seed),
                        metadata=_auth(token),
                        timeout=10,
                    )
                )
        for agency in AGENCIES:
            mine = [p for p in plan.items if p.agency is agency]
            if not mine:
                continue
            credential = admin.IssueCredential(
                duties_pb2.IssueCredentialRequest(
                    role=common_pb2.ROLE_AGENCY, agency_code=agency.code, label="demo results loader"
                ),
                metadata=_auth(token),
                timeout=10,
            )
            try:
                _AgencyLoad(results, _auth(credential.token), mine, counts).run()
            finally:
                admin.RevokeCredential(
                    duties_pb2.RevokeCredentialRequest(credential_id=credential.credential_id),
                    metadata=_auth(token),
                    timeout=10,
                )
            log(f"  {agency.code}: {len(mine)} decisions")
    return dict(counts)


class _AgencyLoad:
    def __init__(self, results, metadata, planned: list[Planned], counts: Counter) -> None:
        self.results = results
        self.metadata = metadata
        self.planned = planned
        self.counts = counts
        self.ids: dict[str, str] = {}

    def run(self) -> None:
        self._publish([p for p in self.planned if not p.register_only])
        for planned in self.planned:
            if planned.register_only:
                reply = _eventually(
                    lambda planned=planned: self.results.RegisterDecision(
                        pb.RegisterDecisionRequest(decision=planned.decision),
                        metadata=self.metadata,
                        timeout=10,
                    )
                )
                self.counts["registered_pending"] += reply.created
        for planned in self.planned:
            result_id = self.ids.get(planned.decision.document_number)
            if result_id:
                self._afterwards(planned, result_id)

    def _publish(self, planned: list[Planned]) -> None:
        """One stream; items citing a duty item results has not learned yet are sent again."""
        waiting = planned
        deadline = time.monotonic() + DUTY_WAIT_SECONDS
        while waiting:
            reply = _eventually(
                lambda waiting=waiting: self.results.BulkPublish(
                    (pb.PublishDecisionRequest(decision=p.decision) for p in waiting),
                    metadata=self.metadata,
                    timeout=120,
                )
            )
            retry = []
            for planned_item, outcome in zip(waiting, reply.outcomes, strict=True):
                if outcome.accepted:
                    self.ids[planned_item.decision.document_number] = outcome.id
                    self.counts["published" if not outcome.duplicate else "already_there"] += 1
                elif any("duty_item_code" in e.description for e in outcome.errors):
                    retry.append(planned_item)
                else:
                    self.counts["refused"] += 1
            if retry and time.monotonic() > deadline:
                self.counts["refused"] += len(retry)
                retry = []
            if retry:
                time.sleep(1.0)
            waiting = retry

    def _afterwards(self, planned: Planned, result_id: str) -> None:
        try:
            current = self.results.GetResult(pb.GetResultRequest(id=result_id), timeout=10)
        except grpc.RpcError:
            return  # not public (withheld, expired, repaired): nothing more to do
        if current.status not in (pb.RESULT_STATUS_PUBLISHED, pb.RESULT_STATUS_CORRECTED):
            return
        if planned.correct and current.version == 1:
            corrected = pb.Decision()
            corrected.CopyFrom(planned.decision)
            corrected.facts = corrected.facts.replace("当事人", "当事人（经核实）", 1)
            self.results.CorrectResult(
                pb.CorrectResultRequest(id=result_id, decision=corrected, reason=planned.correct),
                metadata=self.metadata,
                timeout=10,
            )
            self.counts["corrected"] += 1
        if planned.appeal and not current.under_appeal:
            self.results.SetUnderAppeal(
                pb.SetUnderAppealRequest(id=result_id, under_appeal=True, note=planned.appeal),
                metadata=self.metadata,
                timeout=10,
            )
            self.counts["under_appeal"] += 1
        if planned.reply and not current.reply_text:
            reply = self.results.SubmitReply(
                pb.SubmitReplyRequest(result_id=result_id, text=planned.reply), timeout=10
            )
            self.results.ModerateReply(
                pb.ModerateReplyRequest(reply_id=reply.id, approve=True), metadata=self.metadata, timeout=10
            )
            self.counts["replies"] += 1
        if planned.repair:
            try:
                application = self.results.ApplyForRepair(
                    pb.ApplyForRepairRequest(
                        result_id=result_id,
                        applicant_name=planned.decision.party.name,
                        uscc=planned.decision.party.uscc,
                        correction_proof="已缴清罚款并完成整改，附整改报告及缴款凭证。",
                        credit_commitment="本单位承诺严格遵守法律法规，诚信经营。",
                    ),
                    timeout=10,
                )
            except grpc.RpcError:
                return  # not yet eligible, or an application is already open
            self.results.DecideRepair(
                pb.DecideRepairRequest(
                    application_id=application.id,
                    grant=True,
                    reason="已纠正失信行为，履行法定义务并作出信用承诺。",
                ),
                metadata=self.metadata,
                timeout=10,
            )
            self.counts["repaired"] += 1
        if planned.withdraw:
            reason, statement = planned.withdraw
            self.results.WithdrawResult(
                pb.WithdrawResultRequest(
                    id=result_id,
                    reason=reason,
                    statement=statement,
                    grounds_date=planned.decision.decision_date,
                ),
                metadata=self.metadata,
                timeout=10,
            )
            self.counts["withdrawn"] += 1
