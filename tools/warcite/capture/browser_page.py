"""One page in the browser: load it, let the network settle, scroll, take the evidence.

Used by :mod:`warcite.capture.browser` for each capture, in the capture's own browser
context, behind the capture's own :class:`~warcite.capture.proxy.RecordingProxy`.
Waiting for the network relies on the proxy's :class:`~warcite.capture.proxy.Activity`:
every request the page (any frame, any worker) sends goes through the proxy, which knows
exactly how many are in flight and when the last one started or ended, so no fixed pause
is needed to notice that nothing is pending.

The steps, each bounded by the capture's budget:

1. Navigate and wait for the ``load`` event (at most twice the transfer timeout).
2. Wait for the network to settle: no request in flight, and none started or ended, for
   :data:`SCROLL_SETTLE` seconds (:data:`NETWORK_QUIET` without scrolling).
3. Scroll to the end one viewport at a time (:data:`SCROLL_PAUSE_MS` after each step, at
   most :data:`MAX_SCROLL_STEPS`), then wait until the network has been quiet for
   :data:`NETWORK_QUIET` seconds since the last request started or ended (the time spent
   scrolling counts).  When the page requested anything meanwhile (lazy images, a script's
   late fetch), it may have grown: scrolling goes on from where it stopped, and the
   network is waited for again, until a round asks for nothing.  Then back to the top.
4. The screenshot (full page, PNG, over the DevTools protocol), the rendered DOM and,
   when asked, the PDF.

So the evidence is taken only once no request has started or ended for
:data:`NETWORK_QUIET` seconds: a script that fetches within that time after the load (or
after the last response) is waited for, and what it fetched is recorded.
"""

from __future__ import annotations

import base64
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from warcite.capture.common import warc_date
from warcite.capture.proxy import Activity
from warcite.capture.recorder import Budget
from warcite.core.errors import CaptureError

NETWORK_IDLE_WAIT = 10.0
"""Seconds the network may take to go idle after load and after scrolling."""
NETWORK_QUIET = 0.2
"""Seconds without a request in flight, started or ended, before the evidence is taken."""
SCROLL_SETTLE = 0.05
"""Seconds of the same quiet after load before scrolling starts (the rest of
:data:`NETWORK_QUIET` is waited after scrolling, which counts towards it)."""
NETWORK_POLL = 0.01
"""Seconds between two looks at the proxy's activity."""
SCROLL_PAUSE_MS = 50
"""Milliseconds after each scroll step, for lazy content to be asked for."""
MAX_SCROLL_STEPS = 100
MAX_SCROLL_ROUNDS = 10
"""Times scrolling goes on after the page requested more (each round bounded by steps)."""
MAX_SCREENSHOT_HEIGHT = 30_000
"""Pixels of page height a screenshot keeps at most; a longer page is cut (and says so)."""
MAX_DOM_BYTES = 64 * 1024 * 1024

SCROLL_SCRIPT = """
async ([pause, maxSteps]) => {
  const atEnd = () =>
    window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 2;
  let steps = 0;
  while (steps < maxSteps && !atEnd()) {
    const before = window.scrollY;
    window.scrollBy(0, Math.max(1, window.innerHeight - 50));
    await new Promise((resolve) => setTimeout(resolve, pause));
    steps += 1;
    if (window.scrollY === before) break;
  }
  return steps;
}
"""
"""Scrolls from where the page is to its end; returns the number of steps (0 at the end)."""

_FINISH_SCRIPT = """
() => {
  window.scrollTo(0, 0);
  const root = document.documentElement;
  return [navigator.userAgent, root.scrollWidth, root.scrollHeight];
}
"""


@dataclass
class Evidence:
    """One evidence record's content: kind (a key of ``EVIDENCE_TARGETS``), type, bytes."""

    kind: str
    media_type: str
    data: bytes


@dataclass(frozen=True)
class PageOptions:
    """What :func:`drive_page` needs of the capture's settings."""

    viewport: tuple[int, int]
    scroll: bool
    pdf: bool
    network_idle_wait: float
    timeout: float


def remaining_ms(budget: Budget, cap: float) -> float:
    """Milliseconds for the next browser step: at most ``cap`` s, never past the budget."""
    return max(1.0, min(cap, budget.time_left()) * 1000)


BUSY = (
    "the page's scripts kept its tab busy past the time allowed (a script that never "
    "yields): no rendered DOM, screenshot or PDF was taken"
)


STUCK_GRACE = 30.0
"""Seconds past the time allowed after which a page still being waited for is given up
by stopping its browser (``on_stuck``)."""
EVALUATE_GRACE = 2.0
"""Seconds a script of warcite's is given in the page even when the budget is spent."""


class PageBusy(Exception):
    """The page did not run our script within the time allowed: its tab is kept busy."""


def bounded_evaluate(page: Any, script: str, arg: Any, budget: Budget, cap: float) -> Any:
    """``script`` (a JavaScript function) called with ``arg`` in the page, its value.

    Playwright's ``page.evaluate`` waits without end when the page's own scripts never
    yield (a loop started after load): a hostile page would hang the capture whatever
    its time budget.  Waiting for the function's result instead is bounded by
    Playwright's clock, outside the page: :class:`PageBusy` after ``cap`` s, never past
    the budget, but never less than :data:`EVALUATE_GRACE` s (a capture whose loading
    used up its time still gets its evidence from a page that answers)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        handle = page.wait_for_function(
            f"async (arg) => ({{value: await ({script})(arg)}})",
            arg=arg,
            timeout=max(remaining_ms(budget, cap), EVALUATE_GRACE * 1000),
        )
    except PlaywrightTimeout:
        raise PageBusy(BUSY) from None
    try:
        return handle.json_value()["value"]
    finally:
        handle.dispose()


def iso_now() -> str:
    return warc_date(datetime.now().astimezone())


def wait_for_quiet(
    activity: Activity,
    quiet: float,
    budget: Budget,
    idle_wait: float,
    notes: list[str],
    when: str,
) -> bool:
    """Wait until no request has been in flight, started or ended for ``quiet`` seconds
    (at once when that is so already), at most ``idle_wait`` seconds and never past the
    budget; a note when it did not happen."""
    deadline = time.monotonic() + min(idle_wait, max(0.0, budget.time_left()))
    while True:
        in_flight, _, last_change = activity.snapshot()
        now = time.monotonic()
        if in_flight == 0 and now - last_change >= quiet:
            return True
        if now >= deadline:
            notes.append(f"the network did not go idle {when} within {idle_wait:g} s")
            return False
        wake = last_change + quiet if in_flight == 0 else now + NETWORK_POLL
        time.sleep(max(0.001, min(wake - now, NETWORK_POLL * 5, deadline - now)))


def drive_page(
    browser_context: Any,
    requested: str,
    options: PageOptions,
    activity: Activity,
    budget: Budget,
    notes: list[str],
    *,
    page: Any = None,
    meanwhile: Callable[[], None] | None = None,
    on_stuck: Callable[[], None] | None = None,
) -> dict[str, Any]:
    """Load, wait, scroll, take the evidence (see the module); returns what was observed:
    ``redirect_chain``, ``final_url``, ``status``, ``network_idle``, ``scroll_steps``,
    ``user_agent``, ``page_height``, ``times`` and ``evidence`` (a list of
    :class:`Evidence`).  ``page``: the tab to use (else a new one of ``browser_context``),
    left open: closing its context closes it.  ``meanwhile`` is called once the page has
    loaded, before the network is waited for (a batch opens its next context then).
    ``on_stuck`` is called from another thread when, :data:`STUCK_GRACE` s past the time
    allowed, the page has still not given its evidence: a call to the tab that never
    answers (the DevTools protocol has no timeout), which only stopping the browser ends."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    if page is None:
        page = browser_context.new_page()
    observed: dict[str, Any] = {"evidence": []}
    times: dict[str, str] = {}
    observed["times"] = times
    try:
        response = page.goto(
            requested,
            wait_until="load",
            timeout=remaining_ms(budget, max(options.timeout, 1.0) * 2),
        )
    except PlaywrightTimeout:
        response = None
        notes.append(
            f"the page did not finish loading within the time allowed ({options.timeout:g} s)"
        )
    except PlaywrightError as error:
        message = str(error).split("\n", 1)[0]
        raise CaptureError(
            f"cannot capture {requested}: the browser could not load it ({message})"
        ) from error
    times["loaded"] = iso_now()
    if response is not None:
        chain: list[str] = []
        request = response.request.redirected_from
        while request is not None:
            chain.insert(0, request.url)
            request = request.redirected_from
        observed["redirect_chain"] = chain
        observed["final_url"] = response.url
        observed["status"] = response.status
    else:
        observed["redirect_chain"] = []
        observed["final_url"] = page.url
    if meanwhile is not None:
        meanwhile()
    watchdog = None
    if on_stuck is not None:  # the last resort against a tab that never answers again
        watchdog = threading.Timer(
            max(budget.time_left(), 0.0) + max(options.timeout, 1.0) + STUCK_GRACE, on_stuck
        )
        watchdog.daemon = True
        watchdog.start()
    try:
        return _settle_and_take(page, browser_context, options, activity, budget, notes, observed)
    finally:
        if watchdog is not None:
            watchdog.cancel()


def _settle_and_take(
    page: Any,
    browser_context: Any,
    options: PageOptions,
    activity: Activity,
    budget: Budget,
    notes: list[str],
    observed: dict[str, Any],
) -> dict[str, Any]:
    """After load: wait for the network, scroll, then take the evidence (see the module)."""
    from playwright.sync_api import Error as PlaywrightError

    times: dict[str, str] = observed["times"]
    wait = options.network_idle_wait
    observed["network_idle"] = wait_for_quiet(
        activity,
        SCROLL_SETTLE if options.scroll else NETWORK_QUIET,
        budget,
        wait,
        notes,
        "after load",
    )
    busy = False
    try:
        steps = _scroll(page, activity, budget, wait, notes) if options.scroll else 0
    except PageBusy:
        steps, busy = 0, True
    observed["scroll_steps"] = steps
    times["settled"] = iso_now()
    try:
        if busy:
            raise PageBusy(BUSY)
        cap = max(options.timeout, 1.0)
        user_agent, width, height = bounded_evaluate(page, _FINISH_SCRIPT, None, budget, cap)
        observed["user_agent"] = str(user_agent)
        width, height = int(width or 0), int(height or 0)
    except PageBusy as error:
        notes.append(str(error))
        observed["user_agent"], width, height = "", 0, 0
        busy = True
    except (PlaywrightError, TypeError, ValueError):
        observed["user_agent"], width, height = "", 0, 0
    observed["page_height"] = height
    evidence: list[Evidence] = observed["evidence"]
    if busy:  # the DOM, screenshot and PDF all wait on the page's tab: none can be had
        times["evidence"] = iso_now()
        return observed
    devtools = None
    try:
        devtools = browser_context.new_cdp_session(page)
    except PlaywrightError as error:
        notes.append(f"no DevTools session: {str(error).splitlines()[0][:200]}")
    if devtools is not None:
        try:  # the page's scripts stop here: a handler of the screenshot's resize, or of
            # the PDF's print media, could otherwise loop for ever and hang these calls
            devtools.send("Emulation.setScriptExecutionDisabled", {"value": True})
        except PlaywrightError as error:
            notes.append(f"the page's scripts could not be stopped: {str(error)[:200]}")
        evidence.extend(_dom_and_screenshot(devtools, options, width, height, notes))
    if options.pdf:
        try:
            evidence.append(Evidence("pdf", "application/pdf", page.pdf(print_background=True)))
        except PlaywrightError as error:
            notes.append(f"no PDF: {str(error).splitlines()[0][:200]}")
    times["evidence"] = iso_now()
    return observed


def _scroll(page: Any, activity: Activity, budget: Budget, wait: float, notes: list[str]) -> int:
    """Scroll to the end until a round asks for nothing more; the steps taken."""
    from playwright.sync_api import Error as PlaywrightError

    steps = 0
    for _ in range(MAX_SCROLL_ROUNDS):
        _, started, _ = activity.snapshot()
        try:
            arg = [SCROLL_PAUSE_MS, MAX_SCROLL_STEPS - steps]
            steps += int(bounded_evaluate(page, SCROLL_SCRIPT, arg, budget, budget.time_left()))
        except (PlaywrightError, TypeError, ValueError) as error:
            notes.append(f"scrolling failed: {str(error).splitlines()[0][:200]}")
            break
        if not wait_for_quiet(activity, NETWORK_QUIET, budget, wait, notes, "after scrolling"):
            break
        if activity.snapshot()[1] == started or steps >= MAX_SCROLL_STEPS:
            break
    if steps >= MAX_SCROLL_STEPS:
        notes.append(f"scrolling stopped after {MAX_SCROLL_STEPS} steps")
    return steps


def _dom_and_screenshot(
    devtools: Any, options: PageOptions, width: int, height: int, notes: list[str]
) -> list[Evidence]:
    """The rendered DOM (the document serialized by Chromium itself, doctype included,
    out of reach of the page's scripts), then the full page as PNG (one call; Chromium
    encodes it for speed, still lossless), cut at :data:`MAX_SCREENSHOT_HEIGHT`; straight
    over the DevTools protocol."""
    from playwright.sync_api import Error as PlaywrightError

    found: list[Evidence] = []
    try:
        root = devtools.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
        dom = str(devtools.send("DOM.getOuterHTML", {"nodeId": root})["outerHTML"]).encode()
        if len(dom) > MAX_DOM_BYTES:
            notes.append(f"the rendered DOM is cut at {MAX_DOM_BYTES} bytes of {len(dom)}")
            dom = dom[:MAX_DOM_BYTES]
        found.append(Evidence("rendered-dom", "text/html; charset=utf-8", dom))
    except (PlaywrightError, KeyError, TypeError) as error:
        notes.append(f"no rendered DOM: {str(error).splitlines()[0][:200]}")
    width = max(width, options.viewport[0])
    height = max(height, 1)
    if height > MAX_SCREENSHOT_HEIGHT:
        notes.append(
            f"the screenshot is cut at {MAX_SCREENSHOT_HEIGHT} px of the page's {height} px"
        )
        height = MAX_SCREENSHOT_HEIGHT
    try:
        shot = devtools.send(
            "Page.captureScreenshot",
            {
                "format": "png",
                "captureBeyondViewport": True,
                "optimizeForSpeed": True,
                "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
            },
        )
        png = base64.b64decode(shot["data"])
        found.insert(0, Evidence("screenshot", "image/png", png))  # first in the WARC
    except (PlaywrightError, KeyError, TypeError, ValueError) as error:
        notes.append(f"no screenshot: {str(error).splitlines()[0][:200]}")
    return found


__all__ = [
    "BUSY",
    "EVALUATE_GRACE",
    "MAX_DOM_BYTES",
    "MAX_SCREENSHOT_HEIGHT",
    "MAX_SCROLL_STEPS",
    "NETWORK_IDLE_WAIT",
    "NETWORK_QUIET",
    "SCROLL_PAUSE_MS",
    "SCROLL_SETTLE",
    "STUCK_GRACE",
    "Evidence",
    "PageBusy",
    "PageOptions",
    "bounded_evaluate",
    "drive_page",
    "remaining_ms",
    "wait_for_quiet",
]
