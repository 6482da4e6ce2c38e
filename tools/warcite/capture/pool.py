"""One Chromium for a whole batch, ``jobs`` pages at a time, each in its own tab.

Playwright's sync API binds a driver to the thread that started it, and starting a
driver costs seconds.  A :class:`BrowserPool` therefore starts one Chromium process (a
fresh profile in a temporary folder, deleted by :meth:`BrowserPool.close`, DevTools on
127.0.0.1 only) and ``jobs`` worker threads, each attached to that browser over the
DevTools protocol once; :meth:`BrowserPool.capture` hands a page to a free worker, which
captures it in a new browser context (a tab with no cookies, cache or storage shared
with another capture) behind the page's own recording proxy.  The pool's throwaway
certificate authority is the one the browser trusts by its key.

When the browser stops (the watchdog kills it to end a tab that never answers: see
:meth:`~warcite.capture.browser.BrowserSession.stop_stuck`), the captures running in it
fail, and the next capture any worker takes starts a new Chromium (a new profile, the same
authority), to which every worker attaches again before its next page.
"""

from __future__ import annotations

import contextlib
import queue
import re
import shutil
import subprocess
import tempfile
import threading
import time
from concurrent.futures import Future
from typing import Any

from warcite.capture.authority import CertificateAuthority
from warcite.capture.browser import (
    CHROMIUM_FLAGS,
    BrowserSession,
    capture_in_browser,
    chromium_environment,
    find_chromium,
)
from warcite.core.errors import CaptureError, UsageError

START_TIMEOUT = 60.0
"""Seconds Chromium may take to open its DevTools endpoint."""
_DEVTOOLS = re.compile(r"DevTools listening on (ws://127\.0\.0\.1:\d+/\S+)")


class BrowserPool:
    """A shared Chromium and ``jobs`` workers; use as a context manager."""

    def __init__(self, chromium: str | None = None, *, jobs: int = 1) -> None:
        if not 1 <= jobs <= 64:
            raise UsageError(f"a browser pool has 1 to 64 tabs at once, not {jobs}")
        self.executable = find_chromium(chromium)
        self.authority = CertificateAuthority()
        # Chromium's profile and its own temporary files (TMPDIR: the folder of its
        # singleton socket, which it leaves behind when stopped) live in one folder of
        # warcite's, deleted by close()
        self._folder = tempfile.mkdtemp(prefix="warcite-browser-")
        self._profile = tempfile.mkdtemp(prefix="profile-", dir=self._folder)
        self._jobs: queue.Queue[tuple[Future[Any], str, dict[str, Any]] | None] = queue.Queue()
        self._threads: list[threading.Thread] = []
        self._process: subprocess.Popen[str] | None = None
        self._lock = threading.Lock()
        self.generation = 0  # how many times Chromium was started again
        try:
            self.endpoint = self._start()
            ready: list[Future[None]] = []
            for number in range(jobs):
                started: Future[None] = Future()
                ready.append(started)
                thread = threading.Thread(
                    target=self._work, args=(started,), name=f"warcite-tab-{number}", daemon=True
                )
                thread.start()
                self._threads.append(thread)
            for started in ready:
                started.result(timeout=START_TIMEOUT * 2)
        except BaseException:
            self.close()
            raise

    def _start(self) -> str:
        command = [
            self.executable,
            "--headless",
            *CHROMIUM_FLAGS,
            "--remote-debugging-address=127.0.0.1",
            "--remote-debugging-port=0",
            f"--user-data-dir={self._profile}",
            f"--ignore-certificate-errors-spki-list={self.authority.spki_sha256}",
            # outside a capture's context (each names its own proxy) nothing gets out
            "--proxy-server=http://127.0.0.1:9",
            "--proxy-bypass-list=<-loopback>",
            "about:blank",
        ]
        try:
            self._process = subprocess.Popen(
                command,
                env=chromium_environment(self._folder),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
                errors="replace",
            )
        except OSError as error:
            raise CaptureError(
                f"cannot start Chromium ({self.executable}): {error}; nothing was archived"
            ) from error
        found: list[str] = []
        stderr = self._process.stderr
        assert stderr is not None

        def read() -> None:
            for line in stderr:
                if not found:
                    match = _DEVTOOLS.search(line)
                    if match:
                        found.append(match.group(1))
            # keep draining so that Chromium never blocks on a full pipe

        reader = threading.Thread(target=read, name="warcite-chromium-stderr", daemon=True)
        reader.start()
        deadline = time.monotonic() + START_TIMEOUT
        while not found:
            if self._process.poll() is not None or time.monotonic() > deadline:
                raise CaptureError(
                    f"Chromium ({self.executable}) did not open its DevTools endpoint; "
                    "nothing was archived"
                )
            time.sleep(0.05)
        return found[0]

    def _running(self) -> tuple[str, int]:
        """The endpoint of a running Chromium and its generation: the same as before while
        the browser lives, a new one once it has stopped."""
        with self._lock:
            process = self._process
            if process is not None and process.poll() is not None:
                self._stop_process()
                shutil.rmtree(self._profile, ignore_errors=True)
                self._profile = tempfile.mkdtemp(prefix="profile-", dir=self._folder)
                self.endpoint = self._start()
                self.generation += 1
            return self.endpoint, self.generation

    def _work(self, started: Future[None]) -> None:
        generation = self.generation
        try:
            session = BrowserSession(
                self.executable, connect=self.endpoint, authority=self.authority
            )
        except BaseException as error:
            started.set_exception(error)
            return
        started.set_result(None)
        try:
            while True:
                job = self._jobs.get()
                if job is None:
                    return
                future, url, options = job
                if not future.set_running_or_notify_cancel():
                    continue
                try:
                    endpoint, now = self._running()
                    if now != generation:  # the browser stopped: attach to the new one
                        session.close()
                        session = BrowserSession(
                            self.executable, connect=endpoint, authority=self.authority
                        )
                        generation = now
                    future.set_result(capture_in_browser(url, session=session, **options))
                except BaseException as error:
                    future.set_exception(error)
        finally:
            session.close()

    def _stop_process(self) -> None:
        """Stop Chromium (if it still runs) and release its pipe."""
        process, self._process = self._process, None
        if process is None:
            return
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        if process.stderr is not None:
            with contextlib.suppress(OSError):
                process.stderr.close()

    def capture(self, url: str, **options: Any) -> Any:
        """:func:`~warcite.capture.browser.capture_in_browser` on the next free tab."""
        future: Future[Any] = Future()
        self._jobs.put((future, url, options))
        return future.result()

    def __enter__(self) -> BrowserPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Finish the workers, stop Chromium, delete its profile and the authority."""
        for _ in self._threads:
            self._jobs.put(None)
        for thread in self._threads:
            thread.join(timeout=30)
        with self._lock:
            self._stop_process()
        shutil.rmtree(self._folder, ignore_errors=True)
        self.authority.close()


__all__ = ["BrowserPool"]
