"""Print an HTML document to PDF with headless Chromium (Debian's ``/usr/bin/chromium``).

The same HTML the pack downloads as, written to a private temporary folder and printed by a
fresh Chromium with its own profile and no network use; the document is self-contained, so
nothing needs fetching. ``DASHBOARD_CHROMIUM`` names another binary.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

DEFAULT_CHROMIUM = "/usr/bin/chromium"
PRINT_TIMEOUT_S = 60
CHROMIUM_ARGS = (
    "--headless=new",
    "--no-sandbox",  # the dashboard may run as root in a container; the input is our own HTML
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--no-pdf-header-footer",
    "--proxy-server=127.0.0.1:9",  # belt and braces: any stray request fails at once
)


class PdfUnavailable(RuntimeError):
    """No Chromium to print with, or it failed."""


def chromium_path() -> str:
    configured = os.environ.get("DASHBOARD_CHROMIUM") or DEFAULT_CHROMIUM
    found = shutil.which(configured)
    if not found:
        raise PdfUnavailable(
            f"no Chromium at {configured} to print the PDF (install Debian's chromium, "
            "`make browser-deps`, or set DASHBOARD_CHROMIUM)"
        )
    return found


def html_to_pdf(document: str, *, timeout: float = PRINT_TIMEOUT_S) -> bytes:
    """The PDF Chromium prints from ``document`` (A4, as its ``@page`` rule says)."""
    binary = chromium_path()
    with tempfile.TemporaryDirectory(prefix="session-pack-") as folder:
        work = Path(folder)
        source, target = work / "pack.html", work / "pack.pdf"
        source.write_text(document, encoding="utf-8")
        command = [
            binary,
            *CHROMIUM_ARGS,
            f"--user-data-dir={work / 'profile'}",
            f"--print-to-pdf={target}",
            source.as_uri(),
        ]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            raise PdfUnavailable(f"Chromium did not print the pack within {timeout:.0f} s") from exc
        if not target.is_file() or target.stat().st_size == 0:
            raise PdfUnavailable(
                f"Chromium exited with {done.returncode} and wrote no PDF: {done.stderr[-800:]}"
            )
        return target.read_bytes()
