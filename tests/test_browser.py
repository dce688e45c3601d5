"""report.html as a reader sees it, in a real browser (headless Chromium): every image
decodes, nothing overflows at 1280 px, the summary is on the first screen, no raw key is
in the text, and report.pdf has the same sections.

CI installs Chromium (``.ci/run``) and must run this test; elsewhere it is skipped only
when no browser is installed."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import unicodedata
from pathlib import Path

import matplotlib.pyplot as plt
import pytest
from pypdf import PdfReader

from sim.analysis.metrics_registry import metric
from sim.analysis.reporting.build import SweepData, build_report
from sim.app.pdf import chromium, headless
from sim.app.report import write_files
from sim.config.report import ReportConfig

from .test_findings import METRICS, constructed_table
from .test_metrics_registry import every_key_a_run_writes

VIEWPORT = (1280, 900)
BROWSER = chromium()
if BROWSER is None and os.environ.get("CI"):
    raise RuntimeError("CI must have Chromium for the browser test: see .ci/run")
pytestmark = pytest.mark.skipif(BROWSER is None, reason="no Chromium on this machine")

# Runs once the page and its images have loaded; leaves its findings in the DOM.
PROBE = """<script>
window.addEventListener("load", () => {
  const images = [...document.images];
  const headings = [...document.querySelectorAll("h2")];
  const summary = headings.find((h) => h.textContent.trim() === "Summary");
  const prose = document.body.cloneNode(true);
  prose.querySelectorAll("code, script").forEach((node) => node.remove());
  const widest = Math.max(...[...document.body.querySelectorAll("*")].map(
    (node) => node.getBoundingClientRect().right));
  const found = {
    images: images.length,
    decoded: images.filter((i) => i.complete && i.naturalWidth > 0).length,
    page_width: document.documentElement.scrollWidth,
    widest_right: widest,
    viewport: [window.innerWidth, window.innerHeight],
    summary_top: summary ? summary.getBoundingClientRect().top : null,
    summary_text: summary ? summary.nextElementSibling.textContent : "",
    sections: headings.map((h) => h.textContent.trim()),
    text: prose.textContent,
  };
  const out = document.createElement("pre");
  out.id = "probe";
  out.textContent = JSON.stringify(found);
  document.body.appendChild(out);
});
</script>"""


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A report with figures and long labels, written as the command writes it."""
    root = tmp_path_factory.mktemp("report")
    settings = ReportConfig(reference={"policy": "baseline"}, metrics=METRICS, series=[])
    report = build_report(SweepData(constructed_table(), ["policy", "seed"]), settings)
    paths = write_files(root, report)
    for figure in report.figures:
        plt.close(figure.figure)
    assert root / "report.pdf" in paths
    return root


def seen_by_browser(page: Path) -> dict:
    probed = page.with_name("probed.html")
    probed.write_text(page.read_text().replace("</body>", PROBE + "</body>"))
    width, height = VIEWPORT
    command = headless(
        BROWSER, f"--window-size={width},{height}", "--virtual-time-budget=10000",
        "--dump-dom", probed.as_uri(),
    )  # fmt: skip
    dom = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True).stdout
    found = re.search(r'<pre id="probe">(.*?)</pre>', dom, re.S)
    assert found, dom[-2000:]
    return json.loads(html.unescape(found.group(1)))


def test_the_report_reads_right_in_a_browser(written: Path):
    seen = seen_by_browser(written / "report.html")
    assert seen["viewport"][0] == VIEWPORT[0]
    assert seen["images"] >= 2 and seen["decoded"] == seen["images"]
    assert seen["page_width"] <= VIEWPORT[0], seen["page_width"]  # no sideways scrolling
    assert seen["widest_right"] <= VIEWPORT[0] + 0.5, seen["widest_right"]
    assert seen["sections"][0] == "Summary"
    assert 0 <= seen["summary_top"] < seen["viewport"][1] / 2  # the answer on the first screen
    assert "Means over 113 measured days" in seen["summary_text"]
    keys = {key for key in every_key_a_run_writes() if "_" in key}
    raw = sorted(key for key in keys if re.search(rf"(?<![\w/.]){key}(?![\w/.])", seen["text"]))
    assert not raw, f"raw keys in the rendered text: {raw}"
    assert metric("churn_rate_annual").label in seen["text"]


def test_the_pdf_has_the_pages_sections(written: Path):
    seen = seen_by_browser(written / "report.html")
    pdf = PdfReader(written / "report.pdf")
    text = " ".join(page.extract_text() for page in pdf.pages)
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text))  # "ﬀ" → "ff"
    assert len(pdf.pages) >= 2
    for section in seen["sections"]:
        assert section in text, section
