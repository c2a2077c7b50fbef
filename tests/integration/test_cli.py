"""The operator commands of the `gongshi` CLI against a running platform."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid

import grpc

from gongshi.v1 import results_pb2 as pb
from gongshi.v1 import results_pb2_grpc
from tests.support.decisions import penalty
from tests.support.platform import auth, register_agency


def gongshi(running, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "services.cli", *args],
        env=running.env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_status_tail_and_dead_letters(platform):
    running, settings = platform
    code = f"CLI-{uuid.uuid4().hex[:8]}"
    token = register_agency(settings, code)
    with grpc.insecure_channel(settings.grpc_addr("results")) as channel:
        reply = results_pb2_grpc.ResultsServiceStub(channel).PublishDecision(
            pb.PublishDecisionRequest(decision=penalty()), metadata=auth(token), timeout=10
        )

    status = gongshi(running, "status")
    assert status.returncode == 0, status.stderr
    assert (
        "results" in status.stdout and "GONGSHI" in status.stdout and "results-credentials" in status.stdout
    )

    tail = gongshi(
        running, "events", "tail", "--domain", "results", "--agency", code, "--from-start", "--limit", "1"
    )
    assert tail.returncode == 0, tail.stderr
    event = json.loads(tail.stdout.splitlines()[0])
    assert event["type"] == "gongshi.v1.ResultPublished"
    assert event["body"]["result"]["id"] == reply.result.id

    listed = gongshi(running, "deadletters", "list", "--service", "results")
    assert listed.returncode == 0 and "no dead letters" in listed.stdout
    replay = gongshi(running, "deadletters", "replay", "--service", "results", "--all")
    assert replay.returncode == 0 and "0 dead letter(s) marked" in replay.stdout
