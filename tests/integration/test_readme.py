"""Every command of README.md runs: its ```sh blocks, in order, as one bash
session against one platform with the demo data (the rules for writing an
example are in the HTML comment above README's first example)."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from services.cli import load_demo
from services.runtime.settings import SERVICE_NAMES
from tests.support.platform import ADMIN_TOKEN, platform_settings, start_platform

ROOT = Path(__file__).resolve().parents[2]
NOT_RUN = "<!-- readme-test: not run"
BLOCK = re.compile(r"^```sh\n(.*?)^```", re.S | re.M)

# Under `set -e` a refused call must stop the session: curl fails on HTTP >= 400,
# unless the example shows the status line (-i), where a 4xx may be the point.
PRELUDE = """set -euo pipefail
curl() {
  case " $* " in
    *" -i "*|*" -si "*|*" -I "*) command curl "$@" ;;
    *) command curl --fail-with-body "$@" || { s=$?; echo "FAILED ($s): curl $*" >&2; return $s; } ;;
  esac
}
"""


def readme_blocks(text: str) -> list[tuple[int, str]]:
    """(line number, code) of every ```sh block not marked as not run."""
    blocks = []
    for match in BLOCK.finditer(text):
        before = text[: match.start()].rstrip("\n").rsplit("\n", 1)[-1]
        if not before.startswith(NOT_RUN):
            blocks.append((text.count("\n", 0, match.start()) + 1, match.group(1)))
    return blocks


def test_every_block_is_either_run_or_says_why_not():
    text = (ROOT / "README.md").read_text()
    fences = len(re.findall(r"^```sh$", text, re.M))
    skipped = len(re.findall(rf"^{re.escape(NOT_RUN)}", text, re.M))
    assert len(readme_blocks(text)) == fences - skipped > 0
    for line in re.findall(rf"^{re.escape(NOT_RUN)}.*$", text, re.M):
        assert re.search(r"\(.+\) -->$", line), f"say why: {line}"


@pytest.fixture(scope="module")
def readme_platform(tmp_path_factory):
    """One platform (SQLite, the default a reader gets), with the demo data `make run` loads."""
    settings = platform_settings(tmp_path_factory.mktemp("readme"))
    running = start_platform(settings)
    try:
        load_demo(settings)
        yield running, settings
    finally:
        running.stop()


@pytest.mark.timeout(600)
def test_readme_examples_run_verbatim(readme_platform, tmp_path):
    running, settings = readme_platform
    script = PRELUDE
    for line, code in readme_blocks((ROOT / "README.md").read_text()):
        script += f"\necho '### README.md line {line}' >&2\n{code}"
    (tmp_path / ".venv").symlink_to(ROOT / ".venv")  # the examples call .venv/bin/gongshi
    env = {k: v for k, v in os.environ.items() if not k.startswith("GONGSHI_")}
    env |= {
        "GONGSHI_URL": running.gateway.address,
        "GONGSHI_DATA_DIR": str(running.data_dir),
        "GONGSHI_ADMIN_TOKEN": ADMIN_TOKEN,
        "GONGSHI_HTTP_PORT": str(settings.http_port),
        "GONGSHI_NATS_PORT": str(settings.nats_port),
        **{f"GONGSHI_{n.upper()}_PORT": str(settings.grpc_port(n)) for n in SERVICE_NAMES},
        **{f"GONGSHI_{n.upper()}_DB_URL": settings.db_url(n) for n in SERVICE_NAMES},
    }
    done = subprocess.run(
        ["bash", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=540
    )
    failed_at = [line for line in done.stderr.splitlines() if line.startswith("### README.md line")]
    assert done.returncode == 0, (
        f"README example failed (exit {done.returncode}) in the block at "
        f"{failed_at[-1] if failed_at else '?'}:\n--- stdout\n{done.stdout[-700:]}\n--- stderr\n"
        f"{done.stderr[-1500:]}"
    )
    # The first example publishes, and the record answers until it is withdrawn.
    assert '"created": true' in done.stdout
    assert "HTTP/1.1 410" in done.stdout
