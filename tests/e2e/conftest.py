"""Headless Chromium (Debian's `chromium` and `chromium-driver` packages)
driven by Selenium. Without Chromium the browser tests skip, saying how to
install it; under CI=true they must run."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("GONGSHI_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("GONGSHI_CHROMEDRIVER", "/usr/bin/chromedriver")
INSTALL_HINT = "apt-get install -y chromium chromium-driver fonts-noto-cjk (and `pip install selenium`)"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
IN_CI = os.environ.get("CI", "").lower() == "true"
# axe-core comes from npm, pinned in package.json/package-lock.json next to this file.
TOOLS = Path(__file__).resolve().parent
AXE = TOOLS / "node_modules" / "axe-core" / "axe.min.js"


def _missing() -> str:
    if not (Path(CHROMIUM).exists() or shutil.which("chromium")):
        return f"Chromium is not installed at {CHROMIUM}"
    if not Path(CHROMEDRIVER).exists():
        return f"chromedriver is not installed at {CHROMEDRIVER}"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "the selenium package is not installed"
    return ""


@pytest.fixture(scope="session")
def browser() -> Iterator:
    missing = _missing()
    if missing:
        if IN_CI:
            pytest.fail(f"{missing}; browser tests must run under CI=true: {INSTALL_HINT}")
        pytest.skip(f"{missing}: {INSTALL_HINT}")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="gongshi-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        f"--user-data-dir={profile}",
        "--window-size=1280,900",
        "--lang=zh-CN",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # CSP reports reach the console
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture(scope="session")
def running(tmp_path_factory):
    """One platform for every browser test module (starting one costs seconds)."""
    from services.launcher import Platform
    from tests.support.platform import platform_env, platform_settings

    settings = platform_settings(tmp_path_factory.mktemp("portal"))
    platform = Platform(settings, extra_env=platform_env(settings))
    platform.start()
    yield platform
    platform.stop()


def _install_axe() -> str:
    """`npm ci` the pinned axe-core once; "" when it is there, else why not."""
    if AXE.exists():
        return ""
    npm = shutil.which("npm")
    if not npm:
        return "npm is not installed (apt-get install -y nodejs npm)"
    done = subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund", "--prefix", str(TOOLS)],
        cwd=TOOLS,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if done.returncode or not AXE.exists():
        return f"npm ci failed: {done.stderr[-500:]}"
    return ""


@pytest.fixture(scope="session")
def axe_source() -> str:
    """The axe-core script to inject into pages (WCAG 2.1 A/AA rules)."""
    missing = _install_axe()
    if missing:
        if IN_CI:
            pytest.fail(f"{missing}; the accessibility tests must run under CI=true")
        pytest.skip(missing)
    return AXE.read_text(encoding="utf-8")
