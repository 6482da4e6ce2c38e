"""``warcite check``: WARC files against WARC 1.1, independently of warcio, every problem
with the section of the standard it breaks."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from warcite.core.errors import WarcReadError
from warcite.integrity.check.problems import SPEC, CheckProblem, CheckReport
from warcite.integrity.check.records import RecordChecker

# --------------------------------------------------------------------------- entry points


def check_warcs(
    paths: Sequence[str | Path],
    *,
    display: Callable[[Path], str] | None = None,
    known_elsewhere: Callable[[str], bool] | None = None,
) -> list[CheckReport]:
    """Check WARC files against WARC 1.1; references are resolved over all of them.

    Returns one report per file (``report.ok`` False when it has an error).  Raises
    WarcReadError only when a file cannot be opened at all.
    """
    checker = RecordChecker()
    reports = []
    for given in paths:
        path = Path(given)
        reports.append(checker.check_file(path, display(path) if display else str(given)))
    checker.resolve(known_elsewhere)
    for report in reports:
        report.problems.sort(key=lambda p: (-1 if p.offset is None else p.offset, p.inner or 0))
    return reports


def check_warc(
    path: str | Path,
    *,
    display: str | None = None,
    known_elsewhere: Callable[[str], bool] | None = None,
) -> CheckReport:
    """Check one WARC file (see :func:`check_warcs`); ``known_elsewhere(id)`` says whether
    a WARC-Refers-To target not in the file is a record of another file (no warning)."""
    shown = (lambda _p: display) if display else None
    return check_warcs([path], display=shown, known_elsewhere=known_elsewhere)[0]


def warc_problems(
    path: Path, shown: str, known_elsewhere: Callable[[str], bool] | None = None
) -> Iterator[tuple[str, str]]:
    """(message, severity) of each problem ``warcite check`` finds in a record's WARC,
    for ``validate --deep`` (revisit targets resolved by ``known_elsewhere``)."""
    try:
        report = check_warc(path, display=shown, known_elsewhere=known_elsewhere)
    except WarcReadError as error:
        yield str(error), "error"
        return
    for problem in report.problems:
        yield (
            f"warcite check: {problem.where()}: "
            f"{problem.record_id + ': ' if problem.record_id else ''}"
            f"{SPEC} §{problem.section}: {problem.message}",
            problem.severity,
        )


def summary(reports: Iterable[CheckReport]) -> str:
    """``2 problems in 1 of 3 WARC files`` (errors only)."""
    reports = list(reports)
    failed = [report for report in reports if not report.ok]
    count = sum(1 for r in failed for p in r.problems if p.severity == "error")
    return (
        f"{count} problem{'s' if count != 1 else ''} in {len(failed)} of {len(reports)} "
        f"WARC file{'s' if len(reports) != 1 else ''}"
    )


__all__ = [
    "CheckProblem",
    "CheckReport",
    "check_warc",
    "check_warcs",
    "summary",
    "warc_problems",
]
