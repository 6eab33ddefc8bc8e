"""Shared fixtures. Keep this small: put helpers in their own module (e.g. browser.py)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from browser import OfflineBrowser


@pytest.fixture(scope="session")
def offline_browser() -> Iterator[OfflineBrowser]:
    """Headless chromium with the network blocked (see ``tests/browser.py``).

    Skips when chromium is not installed; under ``CI=true`` that is a failure instead,
    so a missing install step cannot pass as a green run.
    """
    from browser import chromium_path, launch_offline_browser

    if chromium_path() is None:
        reason = "chromium not installed (apt-get install chromium, or set KG_CHROMIUM)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    with launch_offline_browser() as browser:
        yield browser
