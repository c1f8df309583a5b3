"""Headless Chromium (Debian's `chromium`) as a conference participant without the console.

The switches are TESTING.md's (no background networking: this machine's network is closed)
plus fake camera and microphone, and autoplay without a click.
"""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
         "--autoplay-policy=no-user-gesture-required"]
MISSING = "needs Debian's chromium at /usr/bin/chromium"


def launch(url: str, profile: str | Path) -> subprocess.Popen:
    """Open `url` in a new headless Chromium with the fresh profile folder `profile`."""
    # A session of its own: the browser's helper processes are killed with it.
    return subprocess.Popen([str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", url],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)


def kill(browser: subprocess.Popen) -> None:
    """Kill the browser and its helper processes, and reap it."""
    if browser.poll() is None:
        try:
            os.killpg(browser.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    browser.wait(10)
