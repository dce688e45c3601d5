"""``report.pdf`` beside ``report.html``: the same page printed by headless Chromium.

Report writers want a PDF; a browser prints the page exactly as readers see it, figures
and tables included, which no HTML-to-PDF library does as faithfully. Chromium is found
on the PATH (``chromium``, ``chromium-browser``, ``google-chrome``) or named by
``SUPPORTSIM_CHROMIUM``; without it the report is written without its PDF, and says so.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
PRINT_TIMEOUT_S = 120.0


def chromium() -> str | None:
    """The browser executable to print with, if this machine has one."""
    named = os.environ.get("SUPPORTSIM_CHROMIUM")
    if named:
        return shutil.which(named) or (named if Path(named).is_file() else None)
    return next((path for path in map(shutil.which, BROWSERS) if path), None)


def headless(browser: str, *arguments: str) -> list[str]:
    """A headless command line (no sandbox: CI runs as root; no GPU on a server)."""
    return [browser, "--headless", "--no-sandbox", "--disable-gpu", *arguments]


def print_to_pdf(html: Path, pdf: Path) -> bool:
    """Print ``html`` to ``pdf`` atomically; False (and no file) if there is no browser
    or it fails."""
    browser = chromium()
    if browser is None:
        return False
    partial = pdf.with_name(f".{pdf.name}.partial")
    command = headless(
        browser, "--no-pdf-header-footer", f"--print-to-pdf={partial}", html.resolve().as_uri()
    )
    try:
        subprocess.run(command, capture_output=True, timeout=PRINT_TIMEOUT_S, check=True)
    except (OSError, subprocess.SubprocessError):
        partial.unlink(missing_ok=True)
        return False
    if not partial.is_file() or partial.stat().st_size == 0:
        partial.unlink(missing_ok=True)
        return False
    os.replace(partial, pdf)
    return True
