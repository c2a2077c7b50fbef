"""The names of statuses, target states and outcomes, as messages and figures show them."""

from __future__ import annotations

from gongshi.v1 import feedback_pb2 as pb


def status_name(status: int) -> str:
    return pb.FeedbackStatus.Name(status).removeprefix("FEEDBACK_STATUS_").lower() if status else "unknown"


def target_state_name(state: int) -> str:
    return pb.TargetState.Name(state).removeprefix("TARGET_STATE_").lower() if state else "unknown"


OUTCOME_LABELS = {
    pb.OBJECTION_OUTCOME_CORRECT: "更正 corrected",
    pb.OBJECTION_OUTCOME_WITHDRAW: "撤下 withdrawn",
    pb.OBJECTION_OUTCOME_KEEP: "维持 kept",
}


def outcome_label(outcome: int) -> str:
    return OUTCOME_LABELS.get(outcome, "")
