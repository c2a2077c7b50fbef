"""`gongshi`: the command-line tool for operators and agencies.

gongshi run                         start the whole platform (what `make run` does)
gongshi agency create ...           register an agency and print its credential
gongshi credential issue|revoke|rotate  manage credentials
gongshi results push FILE.json      publish one decision with an agency credential
gongshi results import FILE         publish a CSV or NDJSON file of decisions (bulk)
gongshi demo load                   load the fictional demo data (GONGSHI_DEMO=0: not on `run`)
gongshi reconcile [--service S]     re-publish events the stream lost (from the outbox ledgers)
gongshi calendar show|add|check     holiday data for working-day deadlines (docs/calendar.md)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import signal
import sys
import time
from pathlib import Path

import grpc
from google.protobuf import json_format

from gongshi.v1 import common_pb2, duties_pb2, duties_pb2_grpc, results_pb2, results_pb2_grpc
from services import calendar_cli, migrate_cli, ops
from services.launcher import LaunchError, Platform
from services.runtime import tls
from services.runtime.metrics import gauge, serve_metrics, setup_metrics
from services.runtime.settings import SERVICE_NAMES, Settings, load_settings
from services.supervisor import CrashLoop, Supervisor


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return args.func(args, _operator_login(load_settings())) or 0
    except LaunchError as exc:
        print(exc, file=sys.stderr)
        return 1
    except grpc.RpcError as exc:
        print(f"error: {exc.code().name}: {exc.details()}", file=sys.stderr)
        return 1


def _operator_login(settings: Settings) -> Settings:
    """Operator commands reach our own NATS as its admin user (`make run` keeps
    the password under the data directory) unless GONGSHI_NATS_USER says otherwise."""
    password = settings.data_dir / "nats-auth" / "admin.password"
    if settings.nats_user or settings.nats_url or not password.exists():
        return settings
    return settings.model_copy(update={"nats_user": "admin", "nats_password": password.read_text().strip()})


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gongshi", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers()

    run = sub.add_parser("run", help="start NATS, the four services and the gateway; Ctrl-C stops them")
    run.set_defaults(func=cmd_run)
    ops.add_commands(sub)
    migrate_cli.add_commands(sub)
    calendar_cli.add_commands(sub)

    reconcile = sub.add_parser(
        "reconcile",
        help="compare the services' outbox ledgers with the stream and re-publish what the stream lost",
    )
    reconcile.add_argument("--service", action="append", choices=SERVICE_NAMES, help="default: all four")
    reconcile.add_argument(
        "--since", help="only events written since: ISO 8601 instant, or 30m / 24h / 7d ago"
    )
    reconcile.add_argument("--dry-run", action="store_true", help="report what is missing, publish nothing")
    reconcile.add_argument(
        "--wait", action="store_true", help="wait out the stream's duplicate window for ids it still refuses"
    )
    reconcile.set_defaults(func=cmd_reconcile)

    agency = sub.add_parser("agency", help="agencies (執法主體)").add_subparsers()
    create = agency.add_parser("create", help="register an agency and print a new credential for it")
    create.add_argument("--code", required=True, help="stable code used in URLs and event subjects")
    create.add_argument("--name", required=True)
    create.add_argument("--region", required=True, help="6-digit administrative division code")
    create.add_argument(
        "--kind",
        default="administrative_organ",
        choices=["administrative_organ", "authorised_organisation", "entrusted_organisation"],
    )
    create.add_argument("--uscc", default="", help="unified social credit code")
    create.set_defaults(func=cmd_agency_create)

    cred = sub.add_parser("credential", help="credentials").add_subparsers()
    issue = cred.add_parser("issue", help="issue a credential for an agency or an oversight body")
    who = issue.add_mutually_exclusive_group(required=True)
    who.add_argument("--agency")
    who.add_argument("--oversight", action="store_true")
    issue.set_defaults(func=cmd_credential_issue)
    revoke = cred.add_parser("revoke", help="revoke a credential by id")
    revoke.add_argument("credential_id")
    revoke.set_defaults(func=cmd_credential_revoke)
    rotate = cred.add_parser("rotate", help="issue a replacement credential; the old one stops after --grace")
    rotate.add_argument("credential_id")
    rotate.add_argument("--grace", type=int, default=0, help="seconds the old credential keeps working")
    rotate.set_defaults(func=cmd_credential_rotate)

    results = sub.add_parser("results", help="enforcement results").add_subparsers()
    push = results.add_parser("push", help="publish one decision (JSON of gongshi.v1.Decision)")
    push.add_argument("file", type=Path)
    push.add_argument(
        "--token",
        default=os.environ.get("GONGSHI_TOKEN", ""),
        help="agency credential (default: $GONGSHI_TOKEN)",
    )
    push.set_defaults(func=cmd_results_push)
    load = results.add_parser(
        "import",
        help="publish every decision in a CSV or NDJSON file (bulk, idempotent); refused rows go to "
        "FILE.refused.ndjson",
    )
    load.add_argument("file", type=Path, help="FILE.csv (header: Decision field names) or FILE.ndjson")
    load.add_argument(
        "--token",
        default=os.environ.get("GONGSHI_TOKEN", ""),
        help="agency credential (default: $GONGSHI_TOKEN)",
    )
    load.set_defaults(func=cmd_results_import)
    verify = results.add_parser("verify-chain", help="check an agency's tamper-evident hash chain")
    verify.add_argument("--agency", required=True)
    verify.set_defaults(func=cmd_results_verify_chain)
    remask = results.add_parser(
        "remask",
        help="apply today's masking rules to every published record (a correction where the text changes)",
    )
    remask.add_argument("--agency", default="", help="only this agency's records (default: all)")
    remask.add_argument("--dry-run", action="store_true", help="count what would change, change nothing")
    remask.set_defaults(func=cmd_results_remask)

    demo = sub.add_parser("demo", help="demo data").add_subparsers()
    demo_load = demo.add_parser("load", help="fill the platform with fictional demo data (safe to repeat)")
    demo_load.set_defaults(func=cmd_demo_load)
    return parser


class _StopSignal(BaseException):
    """SIGINT or SIGTERM to `gongshi run`: raised in the main thread so that a
    start, a demo load or the supervision loop in progress ends at once."""


def cmd_run(args, settings: Settings) -> int:
    """Start the platform, supervise it until a signal, stop it in order.
    Exit status 1 when a part kept crashing (the message names it and its log)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr)
    platform = Platform(settings)

    def first_signal(signum, _frame):
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, second_signal)
        raise _StopSignal(signal.Signals(signum).name)

    def second_signal(*_):
        print("second signal: killing every part now", file=sys.stderr, flush=True)
        platform.kill()
        os._exit(130)

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, first_signal)
    status = 0
    try:
        print("starting Gongshi ...", flush=True)
        platform.start()
        if os.environ.get("GONGSHI_DEMO", "1") != "0":
            _load_demo_if_empty(settings)
        supervisor = Supervisor(platform)
        _serve_launcher_metrics(settings, supervisor)
        _print_addresses(platform)
        supervisor.run(lambda interval: time.sleep(interval) or False)
    except _StopSignal as stop:
        print(f"\n{stop} received: stopping Gongshi ...", flush=True)
    except CrashLoop as exc:
        print(f"\n{exc}", file=sys.stderr, flush=True)
        status = 1
    finally:
        platform.stop(report=lambda line: print(line, flush=True))
    print("stopped.", flush=True)
    return status


def _serve_launcher_metrics(settings: Settings, supervisor: Supervisor) -> None:
    setup_metrics("launcher")
    gauge("gongshi_part_restarts", "restarts of a platform part by `gongshi run`", "1", supervisor.restarts)
    serve_metrics(settings.host, settings.launcher_metrics_port)


def _print_addresses(platform: Platform) -> None:
    print(f"\nGongshi is running. Portal: {platform.gateway.address}/", flush=True)
    print(f"  REST API:    {platform.gateway.address}/api/v1/results  (OpenAPI: /openapi.json)")
    for part in platform.parts():
        if part is not platform.gateway:
            # The NATS part's address carries the admin password: print the plain one.
            print(f"  {part.name:<12} {platform.nats_url if part is platform.nats else part.address}")
    print(f"  data:        {platform.data_dir}  (logs in {platform.log_dir})")
    print(f"  admin token: {platform.data_dir / 'admin.token'}")
    if platform.nats is not None:
        print(f"  NATS users:  {platform.nats_auth_dir}  (one password per process, mode 0600)")
        print(f"  oversight:   {platform.oversight_credentials}  (read-only NATS user: subscribe gongshi.>)")
    print("  supervision: a part that exits is restarted; `gongshi status` shows restarts")
    print("Press Ctrl-C to stop.", flush=True)


def load_demo(settings: Settings) -> dict[str, int]:
    """Everything `gongshi demo load` loads (idempotent by natural keys)."""
    from services.demo.exante import load_exante
    from services.demo.results_load import load_results

    def log(line: str) -> None:
        print(line, flush=True)

    counts = load_exante(settings, log=log)
    # Results cite the ex-ante agencies' duty items, so they come second.
    counts.update({f"results_{k}": v for k, v in load_results(settings, log=log).items()})
    return counts


def _load_demo_if_empty(settings: Settings) -> None:
    from services.demo.exante import platform_is_empty

    try:
        if not platform_is_empty(settings):
            return
        print("no agencies yet: loading the demo data (set GONGSHI_DEMO=0 to skip) ...", flush=True)
        load_demo(settings)
        print("demo data loaded.", flush=True)
    except Exception as exc:  # the platform runs on without demo data
        print(f"demo data not loaded: {exc}", file=sys.stderr, flush=True)


def cmd_demo_load(args, settings: Settings) -> int:
    counts = load_demo(settings)
    print(json.dumps(counts, ensure_ascii=False, sort_keys=True))
    return 0


def _admin_token(settings: Settings) -> str:
    if settings.admin_token:
        return settings.admin_token
    path = settings.data_dir / "admin.token"
    if not path.exists():
        raise LaunchError(
            f"no administrator token: set GONGSHI_ADMIN_TOKEN or start the platform once "
            f"(`make run` writes {path})"
        )
    return path.read_text().strip()


def _call(settings: Settings, service: str, token: str):
    channel = tls.channel(settings, settings.grpc_addr(service))
    return channel, [("authorization", f"Bearer {token}")]


def cmd_results_verify_chain(args, settings: Settings) -> int:
    channel = tls.channel(settings, settings.grpc_addr("results"))
    reply = results_pb2_grpc.ResultsServiceStub(channel).VerifyChain(
        results_pb2.VerifyChainRequest(agency_code=args.agency), timeout=120
    )
    print(
        f"agency {args.agency}: {reply.entries_checked} chain entries, "
        f"{reply.records_checked} records checked; head {reply.head_hash or '-'}"
    )
    for problem in reply.problems:
        print(f"  seq {problem.seq} result {problem.result_id}: {problem.problem}")
    print("intact" if reply.intact else "NOT INTACT: the published history was altered")
    return 0 if reply.intact else 3


def cmd_results_remask(args, settings: Settings) -> int:
    channel, metadata = _call(settings, "results", _admin_token(settings))
    reply = results_pb2_grpc.ResultsServiceStub(channel).RemaskResults(
        results_pb2.RemaskResultsRequest(agency_code=args.agency, dry_run=args.dry_run),
        metadata=metadata,
        timeout=3600,
    )
    verb = "would be corrected" if args.dry_run else "corrected (personal data masked)"
    print(f"{reply.checked} published records checked, {reply.corrected} {verb}")
    for result_id in reply.result_ids:
        print(f"  {result_id}")
    return 0


def cmd_agency_create(args, settings: Settings) -> int:
    channel, metadata = _call(settings, "duties", _admin_token(settings))
    admin = duties_pb2_grpc.AdminServiceStub(channel)
    kind = duties_pb2.AgencyKind.Value(f"AGENCY_KIND_{args.kind.upper()}")
    agency = duties_pb2.Agency(
        code=args.code,
        name=args.name,
        region_code=args.region,
        kind=kind,
        unified_social_credit_code=args.uscc,
    )
    reply = admin.RegisterAgency(
        duties_pb2.RegisterAgencyRequest(agency=agency), metadata=metadata, timeout=10
    )
    credential = admin.IssueCredential(
        duties_pb2.IssueCredentialRequest(role=common_pb2.ROLE_AGENCY, agency_code=args.code),
        metadata=metadata,
        timeout=10,
    )
    print(
        f"agency {reply.agency.code} {'registered' if reply.created else 'unchanged'} "
        f"(version {reply.agency.version})"
    )
    print(f"credential id: {credential.credential_id}")
    print(f"token (shown once, keep it secret): {credential.token}")
    return 0


def cmd_credential_issue(args, settings: Settings) -> int:
    channel, metadata = _call(settings, "duties", _admin_token(settings))
    role = common_pb2.ROLE_OVERSIGHT if args.oversight else common_pb2.ROLE_AGENCY
    reply = duties_pb2_grpc.AdminServiceStub(channel).IssueCredential(
        duties_pb2.IssueCredentialRequest(role=role, agency_code=args.agency or ""),
        metadata=metadata,
        timeout=10,
    )
    print(f"credential id: {reply.credential_id}\ntoken (shown once, keep it secret): {reply.token}")
    return 0


def cmd_credential_revoke(args, settings: Settings) -> int:
    channel, metadata = _call(settings, "duties", _admin_token(settings))
    reply = duties_pb2_grpc.AdminServiceStub(channel).RevokeCredential(
        duties_pb2.RevokeCredentialRequest(credential_id=args.credential_id), metadata=metadata, timeout=10
    )
    print("revoked" if reply.revoked else "already revoked")
    return 0


def cmd_credential_rotate(args, settings: Settings) -> int:
    channel, metadata = _call(settings, "duties", _admin_token(settings))
    reply = duties_pb2_grpc.AdminServiceStub(channel).RotateCredential(
        duties_pb2.RotateCredentialRequest(credential_id=args.credential_id, grace_seconds=args.grace),
        metadata=metadata,
        timeout=10,
    )
    print(f"credential id: {reply.credential_id}\ntoken (shown once, keep it secret): {reply.token}")
    print(f"the old credential {args.credential_id} is refused from {reply.old_revoked_at}")
    return 0


def cmd_results_import(args, settings: Settings) -> int:
    from services.results.importer import run_import

    if not args.token:
        raise LaunchError("an agency credential is needed: --token or GONGSHI_TOKEN")
    if not args.file.is_file():
        raise LaunchError(f"no such file: {args.file}")
    try:
        summary = run_import(args.file, settings.grpc_addr("results"), args.token)
    except ValueError as exc:
        raise LaunchError(str(exc)) from exc
    print(summary.line())
    return 1 if summary.refused else 0


def cmd_results_push(args, settings: Settings) -> int:
    if not args.token:
        raise LaunchError("an agency credential is needed: --token or GONGSHI_TOKEN")
    decision = json_format.Parse(args.file.read_text(encoding="utf-8"), results_pb2.Decision())
    channel, metadata = _call(settings, "results", args.token)
    reply = results_pb2_grpc.ResultsServiceStub(channel).PublishDecision(
        results_pb2.PublishDecisionRequest(decision=decision), metadata=metadata, timeout=10
    )
    print(
        json.dumps(
            {
                "id": reply.result.id,
                "created": reply.created,
                "url": f"http://127.0.0.1:{settings.http_port}/results/{reply.result.id}",
            },
            ensure_ascii=False,
        )
    )
    return 0


def cmd_reconcile(args, settings: Settings) -> int:
    """Exit 0 when every service's ledger is in the stream (after re-publishing), 3 otherwise."""
    from services.runtime import reconcile

    try:
        since = reconcile.parse_since(args.since) if args.since else None
    except ValueError as exc:
        raise LaunchError(str(exc)) from exc
    reports = asyncio.run(
        reconcile.reconcile_services(
            settings,
            args.service or list(SERVICE_NAMES),
            since=since,
            dry_run=args.dry_run,
            wait=args.wait,
        )
    )
    for report in reports:
        print(report.summary())
    done = all(r.complete and not (args.dry_run and r.missing) for r in reports)
    return 0 if done else 3


if __name__ == "__main__":
    sys.exit(main())
