"""notify_fanout: 10,000 confirmed follows, one publication matching 1,000 of
them; seconds from the PublishDecision reply until a local SMTP server
(aiosmtpd on a free port) has accepted the last of the 1,000 mails: the
results event, the gateway's follow intake (notices), the composer (one mail
per follow) and the postman's SMTP sends. Beside it, in the same run, the bare
SMTP send rate: the same number of mails sent to the same server by smtplib
over one connection, no platform, which bounds what the postman can reach.

The follows are written straight into the gateway's database (the API's
limits allow 20 new follows an hour per client), as confirmed rows: 1,000
follow the published party, 6,000 other parties, 3,000 other agencies.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import email.policy
import itertools
import secrets
import smtplib
import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage

import grpc

from bench.harness import Benchmark, Extra, Measurement, RunContext, register
from bench.platform._decisions import AGENCIES, decision
from bench.platform._platform import BenchPlatform, auth, running_platform
from bench.servers import free_port
from gateway.follows.interest import uscc_check_char
from gongshi.v1 import results_pb2 as pb
from gongshi.v1 import results_pb2_grpc

FOLLOWS, MATCHING = 10_000, 1_000
FOLLOWS_QUICK, MATCHING_QUICK = 2_000, 200
WAIT_SECONDS = 600
_runs = itertools.count(1)


def _uscc(n: int) -> str:
    body = f"91310101MA{n:07d}"
    return body + uscc_check_char(body)


class CountingSmtp:
    """An SMTP server that accepts everything and remembers when it accepted the last mail."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.port = free_port()
        self.accepted = 0
        self.last_at = 0.0
        self.lock = threading.Lock()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.accepted += 1
            self.last_at = time.perf_counter()
        return "250 OK"

    def wait_for(self, count: int, timeout: float) -> float:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if self.accepted >= count:
                    return self.last_at
            time.sleep(0.02)
        raise RuntimeError(f"the SMTP server accepted {self.accepted} mails of {count} in {timeout} s")


@dataclass
class NotifyFixture:
    platform: BenchPlatform
    token: str
    smtp: CountingSmtp
    followed: str
    matching: int


def _seed(db_path, follows: int, matching: int, followed: str) -> None:
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    followers, rows = [], []
    for i in range(follows):
        fid = f"bf{i:08d}"
        followers.append(
            (fid, f"reader{i}@bench.example", secrets.token_hex(16), secrets.token_urlsafe(24), now)
        )
        if i < matching:
            kind, party, agency = "party", followed, ""
        elif i < matching + (follows - matching) * 6 // 9:
            kind, party, agency = "party", _uscc(1_000_000 + i), ""
        else:
            kind, party, agency = "agency", "", AGENCIES[1 + i % 3].code
        rows.append(
            (f"fo{i:08d}", fid, kind, party, agency, "", "", "", "immediate", "zh", secrets.token_urlsafe(24),
             "bench", now, now)
        )  # fmt: skip
    with contextlib.closing(sqlite3.connect(db_path, timeout=30)) as conn, conn:
        conn.executemany(
            "INSERT INTO gateway_followers (id, email, address_key, manage_token, created_at)"
            " VALUES (?,?,?,?,?)",
            followers,
        )
        conn.executemany(
            "INSERT INTO gateway_follows (id, follower_id, kind, party, agency, region, category, q, cadence,"
            " lang, token, client_key, created_at, confirmed_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            rows,
        )


@contextlib.contextmanager
def notify_platform(ctx: RunContext) -> Iterator[NotifyFixture]:
    follows, matching = (FOLLOWS_QUICK, MATCHING_QUICK) if ctx.quick else (FOLLOWS, MATCHING)
    smtp = CountingSmtp()
    env = {"GONGSHI_SMTP_URL": f"smtp://127.0.0.1:{smtp.port}", "GONGSHI_FOLLOW_POLL_SECONDS": "0.2"}
    try:
        with running_platform(ctx.data_dir / "platform", extra_env=env) as platform:
            token = platform.register_agency(AGENCIES[0])
            followed = _uscc(42)
            _seed(platform.settings.data_dir / "gateway.db", follows, matching, followed)
            yield NotifyFixture(platform, token, smtp, followed, matching)
    finally:
        smtp.controller.stop()


def _bare_send_rate(port: int, count: int) -> float:
    """Mails per second smtplib gets accepted over one connection."""
    message = EmailMessage()
    message["From"], message["Subject"] = "bench@gongshi.example", "bench"
    message.set_content("行政处罚决定公示\n" * 40)
    data = message.as_bytes(policy=email.policy.SMTP)  # CRLF line ends, as SMTP wants
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
        for i in range(count):
            smtp.sendmail("bench@gongshi.example", [f"bare{i}@bench.example"], data)
    return count / (time.perf_counter() - started)


def run(ctx: RunContext) -> Measurement:
    fixture: NotifyFixture = ctx.fixture
    before = fixture.smtp.accepted
    d = decision(next(_runs), agency=AGENCIES[0], prefix=f"N{next(_runs)}-")
    d.party.type = pb.PARTY_TYPE_LEGAL_PERSON
    d.party.uscc = fixture.followed
    with grpc.insecure_channel(fixture.platform.grpc_addr("results")) as channel:
        stub = results_pb2_grpc.ResultsServiceStub(channel)
        stub.PublishDecision(pb.PublishDecisionRequest(decision=d), metadata=auth(fixture.token), timeout=60)
        replied = time.perf_counter()
    last = fixture.smtp.wait_for(before + fixture.matching, WAIT_SECONDS)
    seconds = last - replied
    bare = _bare_send_rate(fixture.smtp.port, fixture.matching)
    return Measurement(
        seconds, {"notify_fanout_mail_rate": fixture.matching / seconds, "notify_fanout_bare_smtp_rate": bare}
    )


register(
    Benchmark(
        key="notify_fanout",
        unit="s",
        run=run,
        fixture=notify_platform,
        higher_is_better=False,
        target="reported beside notify_fanout_bare_smtp_rate (the same mails, smtplib alone)",
        description=(
            f"{FOLLOWS:,} confirmed follows (quick: {FOLLOWS_QUICK:,}), one PublishDecision matching "
            f"{MATCHING:,} of them (quick: {MATCHING_QUICK:,}): seconds from the reply until a local "
            "aiosmtpd server accepted the last mail (intake, composer, postman over SMTP)"
        ),
        extras=(
            Extra(
                "notify_fanout_mail_rate",
                "mails/s",
                target="reported",
                description="the matching follows' mails divided by notify_fanout's seconds",
            ),
            Extra(
                "notify_fanout_bare_smtp_rate",
                "mails/s",
                description="the same number of mails sent by smtplib over one connection to the same server",
            ),
        ),
    )
)
