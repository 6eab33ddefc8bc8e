"""The browser harness (``tests/browser.py``) reuses tabs, yet no visit sees what the visit
before it did: each page is a new document, an init script stays with its visit, and a tab
whose page left something in its storage is closed, not reused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser


def test_a_reused_tab_carries_nothing_from_the_visit_before(offline_browser: Any, tmp_path: Path) -> None:
    plain = tmp_path / "plain.html"
    plain.write_text("<title>plain</title><script>window.loads = (window.loads || 0) + 1</script>")
    storing = tmp_path / "storing.html"
    storing.write_text("<script>localStorage.setItem('k', 'v'); sessionStorage.setItem('k', 'v')</script>")
    with offline_browser.open(plain) as first:
        tab = first.page
    with offline_browser.open(plain, init_script="window.hooked = true") as hooked:
        assert hooked.page is tab  # a clean tab is used again…
        assert hooked.page.evaluate("[window.hooked, window.loads]") == [True, 1]  # …for a new document
    with offline_browser.open(plain) as unhooked:
        assert unhooked.page is tab
        assert unhooked.page.evaluate("[window.hooked, window.loads]") == [None, 1]
    with offline_browser.open(storing) as stored:
        assert stored.page is tab
        assert stored.page.evaluate("[localStorage.length, sessionStorage.length]") == [1, 1]
    with offline_browser.open(plain) as after:
        assert after.page is not tab  # the storage closed that tab
        assert after.page.evaluate("[localStorage.length, sessionStorage.length]") == [0, 0]
    assert after.requests == [plain.resolve().as_uri()]
    assert first.problems() == hooked.problems() == stored.problems() == after.problems() == []
