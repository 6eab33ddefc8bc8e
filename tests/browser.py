"""Open a page in headless chromium with every network request blocked, and report.

Reusable by any test that checks a page kg writes. In pytest, take the session fixture
``offline_browser`` from ``conftest.py`` (it skips when chromium is absent, and fails
instead under ``CI=true``, where chromium must be installed)::

    @pytest.mark.browser
    def test_page(offline_browser, tmp_path):
        path = tmp_path / "page.html"
        path.write_text(html, encoding="utf-8")
        with offline_browser.open(path, ready="window.kgReady === true") as visit:
            assert visit.page.evaluate("document.title") == "…"
        assert visit.problems() == []          # console errors, page errors, requests

What a :class:`Visit` records, from the moment the page is created:

- ``requests``: every request the page attempted, ``file:`` ones included (the page
  itself); ``outgoing``: those that were not ``file:``, all of which were aborted;
- ``console_errors`` (CSP violations land here too), ``console_warnings``,
  ``page_errors`` (uncaught exceptions);
- ``websockets`` opened.

To wait for the page, use its own signals, never a fixed time: ``visit.wait_for(js_predicate)``
(checked at every frame), ``visit.frames(n)`` (n more frames drawn), or a promise the page
hands out (``visit.page.evaluate("kg.settled()")``).

Each visit loads its page as a new document in a tab of its own (a page in its own browser
context). A tab is used again by a later visit only when the visit before ended without an
error, its init script (if any) could be removed, and it left nothing in the page's storage
(local and session storage, IndexedDB, cookies: checked as it leaves, else the tab is
closed); between visits the tab shows ``about:blank``. Opening a tab costs chromium a renderer process and a cold
compile of the page's scripts, about 0.5 s of CPU; a used tab loads the next page for 0.15.
Outside pytest: ``with launch_offline_browser() as browser: with browser.open(p) as v: …``.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:  # playwright is a test extra; import it only when a browser is wanted
    from playwright.sync_api import (
        Browser,
        BrowserContext,
        ConsoleMessage,
        Error,
        Page,
        Route,
        ViewportSize,
        WebSocket,
    )

__all__ = [
    "CHROMIUM",
    "LAUNCH_ARGS",
    "Visit",
    "OfflineBrowser",
    "chromium_path",
    "launch_offline_browser",
]

CHROMIUM = "/usr/bin/chromium"
"""The Debian chromium package; ``KG_CHROMIUM`` overrides it."""

LAUNCH_ARGS = (
    "--no-sandbox",  # tests run as root in containers, where the sandbox cannot start
    "--disable-gpu",
    # Chromium's own background traffic (updates, sync, safe browsing) would show up as
    # requests of the page under test, or hang on a machine without network.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
)


_FRAMES = """count => new Promise(done => {
    const tick = () => (--count > 0 ? requestAnimationFrame(tick) : done());
    requestAnimationFrame(tick);
})"""


def chromium_path() -> Path | None:
    """The chromium executable to drive, or None when there is none on this machine."""
    candidate = os.environ.get("KG_CHROMIUM") or CHROMIUM
    found = shutil.which(candidate)
    return Path(found) if found else None


@dataclass
class Visit:
    """What one page did while it was open."""

    page: Page
    requests: list[str] = field(default_factory=list)
    outgoing: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    console_warnings: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    websockets: list[str] = field(default_factory=list)

    def wait_for(self, predicate: str, arg: Any = None, *, timeout_ms: float = 20_000) -> None:
        """Return once ``predicate`` (the source of a JS function, called with ``arg``)
        returns true, checked at every frame the page draws; fail after ``timeout_ms``.

        Not ``page.wait_for_function``: Playwright runs its predicate through ``eval``
        inside the page, which the map's Content-Security-Policy forbids, so it fails
        with an EvalError now and then. Here the predicate is compiled by the DevTools
        protocol, as ``page.evaluate`` does, which no CSP restricts.
        """
        shown = json.dumps(predicate)
        self.page.evaluate(
            f"""arg => new Promise((resolve, reject) => {{
                const holds = {predicate};
                let error = null;
                const timer = setTimeout(
                    () => reject(new Error("not true after {timeout_ms:.0f} ms: " + {shown} + (error ? " (" + error + ")" : ""))),
                    {timeout_ms:.0f});
                const check = () => {{
                    try {{
                        if (holds(arg)) {{ clearTimeout(timer); resolve(); return; }}
                    }} catch (thrown) {{ error = thrown; }}
                    requestAnimationFrame(check);
                }};
                check();
            }})""",
            arg,
        )

    def frames(self, count: int = 2) -> None:
        """Return once the page has drawn ``count`` more animation frames: what a frame
        of the page started (a step of an animation, an event it queued) has happened."""
        if count > 0:
            self.page.evaluate(_FRAMES, count)

    def problems(self) -> list[str]:
        """Everything an offline page must never do, as readable lines (empty when clean)."""
        return (
            [f"console error: {m}" for m in self.console_errors]
            + [f"page error: {m}" for m in self.page_errors]
            + [f"outgoing request: {u}" for u in self.outgoing]
            + [f"websocket: {u}" for u in self.websockets]
        )


_STORED = """async () => {
    const databases = indexedDB.databases ? (await indexedDB.databases()).length : 0;
    return localStorage.length + sessionStorage.length + databases + document.cookie.length;
}"""
"""How many things the page left in the storage that a later page of its origin would see."""

_PLAYWRIGHT_TIMEOUT_MS = 30_000
"""Playwright's own default for actions and navigations."""


@dataclass
class _Tab:
    """A page in its own context, recording into the visit it serves (None between visits)."""

    context: BrowserContext
    page: Page
    visit: Visit | None = None


class OfflineBrowser:
    """A running chromium that opens pages with the network cut off."""

    def __init__(self, browser: Browser) -> None:
        self.browser = browser
        self._idle: list[_Tab] = []

    @contextlib.contextmanager
    def open(
        self,
        target: Path | str,
        *,
        init_script: str | None = None,
        ready: str | None = None,
        timeout_ms: float = 20_000,
        settle_frames: int = 2,
        settle_ms: float = 0,
        viewport: tuple[int, int] = (1280, 800),
        wait_until: Literal["commit", "domcontentloaded", "load"] = "load",
    ) -> Iterator[Visit]:
        """Open ``target`` (a path or a ``file:`` URL) and yield its :class:`Visit`.

        ``init_script`` runs before any script of the page (install hooks there);
        ``ready`` is a JS expression waited for after load; once it holds, the page draws
        ``settle_frames`` more frames, so what it starts at load (lazy images, timers of a
        frame) shows up. ``settle_ms`` adds a fixed wait, for pages with no ready signal.
        ``wait_until="commit"`` returns as soon as navigation starts, for a page whose
        scripts may never finish.
        """
        url = target.resolve().as_uri() if isinstance(target, Path) else target
        reusable = wait_until != "commit"
        tab = self._idle.pop() if reusable and self._idle else self._new_tab()
        page = tab.page
        visit = tab.visit = Visit(page)
        hook: Any = None
        ended = False
        try:
            page.set_default_timeout(_PLAYWRIGHT_TIMEOUT_MS)  # a visit before may have set another
            page.set_default_navigation_timeout(_PLAYWRIGHT_TIMEOUT_MS)
            size: ViewportSize = {"width": viewport[0], "height": viewport[1]}
            if page.viewport_size != size:
                page.set_viewport_size(size)
            if init_script:
                hook = page.add_init_script(init_script)
            page.goto(url, wait_until=wait_until, timeout=timeout_ms)
            if ready:
                visit.wait_for(f"() => ({ready})", timeout_ms=timeout_ms)
                visit.frames(settle_frames)
            if settle_ms:
                page.wait_for_timeout(settle_ms)
            yield visit
            ended = True
        finally:
            unhooked = init_script is None or _removed(hook)
            if ended and reusable and unhooked and _left_clean(tab):
                self._idle.append(tab)
            else:
                tab.visit = None
                tab.context.close()

    def _new_tab(self) -> _Tab:
        context = self.browser.new_context(service_workers="block")
        tab = _Tab(context, context.new_page())
        _record(tab)
        return tab


def _removed(hook: Any) -> bool:
    """Remove an init script from its tab (``add_init_script`` returns a Disposable in recent
    Playwright; older versions return None, and nothing can remove the script)."""
    close = getattr(hook, "close", None)
    if not callable(close):
        return False
    try:
        close()
    except Exception:  # the page is gone: the tab will be closed
        return False
    return True


def _left_clean(tab: _Tab) -> bool:
    """Navigate the tab away from the visit's page, recording until it is gone; whether the
    page left its storage empty (if not, or on any failure, the tab is not used again)."""
    try:
        stored = tab.page.evaluate(_STORED)
        tab.page.goto("about:blank")
    except Exception:  # a crashed or closed page, a document without storage: start afresh
        return False
    finally:
        tab.visit = None
    return bool(stored == 0)


def _record(tab: _Tab) -> None:
    """Route and listen so that every attempt to reach the network is seen and refused,
    and recorded in the visit the tab serves."""

    def route(route: Route) -> None:
        request_url = route.request.url
        if tab.visit is not None:
            tab.visit.requests.append(request_url)
        if request_url.startswith("file:"):
            route.continue_()
        else:
            if tab.visit is not None:
                tab.visit.outgoing.append(request_url)
            route.abort("blockedbyclient")

    def console(message: ConsoleMessage) -> None:
        if tab.visit is None:
            return
        text = f"{message.text} ({message.location.get('url', '')})"
        if message.type == "error":
            tab.visit.console_errors.append(text)
        elif message.type == "warning":
            tab.visit.console_warnings.append(text)

    def page_error(error: Error) -> None:
        if tab.visit is not None:
            tab.visit.page_errors.append(str(error))

    def websocket(ws: WebSocket) -> None:
        if tab.visit is not None:
            tab.visit.websockets.append(ws.url)

    tab.context.route("**/*", route)
    tab.page.on("console", console)
    tab.page.on("pageerror", page_error)
    tab.page.on("websocket", websocket)


@contextlib.contextmanager
def launch_offline_browser(executable: Path | None = None) -> Iterator[OfflineBrowser]:
    """Start playwright and headless chromium; stop both on exit."""
    from playwright.sync_api import sync_playwright

    executable = executable or chromium_path()
    if executable is None:
        raise FileNotFoundError(f"no chromium at {CHROMIUM} (set KG_CHROMIUM)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(executable), args=list(LAUNCH_ARGS), headless=True
        )
        try:
            yield OfflineBrowser(browser)
        finally:
            browser.close()
