"""Beyond one machine: extraction and validation over many WARC files with Dask.

Why Dask (``dask.bag``, and ``dask.distributed`` for a cluster) rather than Spark: warcite
is pure Python, and so is Dask -- ``pip install 'warcite[distributed]'`` is the whole
installation, on a laptop or on every node of a cluster, with no JVM and no second
runtime between the data and the Python functions (PySpark ships each record through a
JVM and pickles it back, and needs Java on every node).  A bag of file paths mapped with
the library's own functions is exactly the shape of this work: each WARC is independent,
so the job is embarrassingly parallel and needs no shuffles, which is where Spark's
machinery would pay off.

The tasks reuse the library and nothing else:

* :func:`check_warc` (one WARC): every record's block and payload digests
  (:func:`warcite.core.warc.records.check_record_digests`), then the page read back
  (:func:`warcite.core.warc.pages.read_page`) and extracted (:func:`warcite.extract.extract_page`),
  summarised as plain data (title, authors, paragraphs, the clean text's sha256);
* :func:`check_record` (one record file): :func:`warcite.integrity.validate.validate_file`, with
  ``deep`` re-extraction if asked.

:func:`run` builds the bags and computes them on a scheduler: ``"processes"`` (the local
default: one process per core, real parallelism for the CPU-bound extraction),
``"threads"``, ``"synchronous"`` (debugging), ``"local-cluster"`` (a
``dask.distributed.LocalCluster``, needs ``distributed``), or the address of a running
Dask scheduler (``tcp://host:8786``; the workers must see the same paths, e.g. a shared
file system, and have warcite installed).  From the shell::

    python -m warcite.collection.distributed archive/*.warc.gz records/*.json \\
        --scheduler processes --workers 4 --output report.jsonl

FILES ending in ``.json`` are records to validate, the others WARCs to check.  One JSON
line per WARC and per record goes to ``--output`` (default stdout), a summary to
stderr; the exit status is 5 when any WARC or record has a problem.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from warcite.core.errors import UsageError, WarciteError

SCHEDULERS = ("processes", "threads", "synchronous", "local-cluster")


def check_warc(path: str) -> dict[str, Any]:
    """Verify the digests of every record of one WARC and extract its page (plain data)."""
    from warcite.core.warc.pages import read_page
    from warcite.core.warc.records import check_record_digests, iter_records
    from warcite.extract import extract_page
    from warcite.record.text import clean_text

    result: dict[str, Any] = {"kind": "warc", "path": path, "records": 0, "problems": []}
    try:
        for record in iter_records(path):
            result["records"] += 1
            result["problems"].extend(check_record_digests(record))
    except WarciteError as error:
        result["problems"].append(str(error))
        result["page"] = None
        result["ok"] = False
        return result  # unreadable: there is no page to extract
    try:
        page = read_page(path)
        extraction = extract_page(page)
        text, kinds = clean_text(extraction)
    except WarciteError as error:
        result["problems"].append(str(error))
        result["page"] = None
    else:
        result["page"] = {
            "record_id": page.record_id,
            "url": page.url,
            "title": extraction.title.value if extraction.title else None,
            "authors": [person.name for person in extraction.authors],
            "published": extraction.published.value if extraction.published else None,
            "paragraphs": len(kinds),
            "text_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        }
    result["ok"] = not result["problems"]
    return result


def check_record(path: str, project_root: str, deep: bool = False) -> dict[str, Any]:
    """Validate one record file (warcite.integrity.validate.validate_file) as plain data."""
    from warcite.integrity.validate import validate_file

    report = validate_file(Path(path), Path(project_root), deep=deep)
    return {
        "kind": "record",
        "path": path,
        "id": report.id,
        "ok": report.ok,
        "problems": [problem.line() for problem in report.problems],
    }


def _compute(bags: Sequence[Any], scheduler: str, workers: int | None) -> list[list[Any]]:
    import dask

    if scheduler in ("processes", "threads", "synchronous"):
        options: dict[str, Any] = {"scheduler": scheduler}
        if workers is not None and scheduler != "synchronous":
            options["num_workers"] = workers
        return [list(result) for result in dask.compute(*bags, **options)]
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as error:
        raise UsageError(
            f"--scheduler {scheduler} needs dask.distributed: pip install 'dask[distributed]'"
        ) from error
    if scheduler == "local-cluster":
        with (
            LocalCluster(n_workers=workers or 2, threads_per_worker=1, processes=True) as cluster,
            Client(cluster) as client,
        ):
            return [list(result) for result in client.compute(list(bags), sync=True)]
    with Client(scheduler) as client:
        return [list(result) for result in client.compute(list(bags), sync=True)]


def run(
    warcs: Sequence[str],
    records: Sequence[str] = (),
    *,
    project_root: str | None = None,
    deep: bool = False,
    scheduler: str = "processes",
    workers: int | None = None,
    partitions: int | None = None,
) -> list[dict[str, Any]]:
    """Check ``warcs`` and validate ``records`` on a Dask scheduler; one dict per file.

    Raises UsageError when Dask is not installed or the scheduler is unknown.
    """
    try:
        import dask.bag as db
    except ImportError as error:
        raise UsageError(
            "the distributed example needs Dask: pip install 'warcite[distributed]'"
        ) from error
    if scheduler not in SCHEDULERS and "://" not in scheduler:
        raise UsageError(
            f"unknown scheduler {scheduler!r}: one of {', '.join(SCHEDULERS)} or a "
            "scheduler address like tcp://host:8786"
        )
    root = project_root
    if records and root is None:
        from warcite.core.project import find_project_root

        root = str(find_project_root(Path(records[0]).resolve().parent))
    bags = []
    if warcs:
        count = partitions or min(len(warcs), 4 * (workers or 4))
        bags.append(db.from_sequence(list(warcs), npartitions=count).map(check_warc))
    if records:
        count = partitions or min(len(records), 4 * (workers or 4))
        bags.append(
            db.from_sequence(list(records), npartitions=count).map(
                check_record, project_root=root, deep=deep
            )
        )
    return [item for result in _compute(bags, scheduler, workers) for item in result]


def main(argv: Sequence[str] | None = None) -> None:
    """``python -m warcite.collection.distributed``: see the module docstring."""
    import click

    @click.command(context_settings={"help_option_names": ["-h", "--help"]})
    @click.argument("files", nargs=-1, required=True)
    @click.option("--deep", is_flag=True, help="Re-extract each record's page and compare.")
    @click.option(
        "--scheduler",
        default="processes",
        show_default=True,
        help="processes, threads, synchronous, local-cluster or tcp://host:port.",
    )
    @click.option(
        "--workers",
        type=click.IntRange(1, 1024),
        default=None,
        help="Worker processes or threads (default: the cores).",
    )
    @click.option(
        "--output",
        type=click.Path(dir_okay=False),
        default=None,
        help="JSON lines go here (default: stdout).",
    )
    def command(
        files: tuple[str, ...],
        deep: bool,
        scheduler: str,
        workers: int | None,
        output: str | None,
    ) -> None:
        """Check WARC files (digests, extraction) and validate records (FILES ending in .json)
        with Dask."""
        records = [name for name in files if name.lower().endswith(".json")]
        warcs = [name for name in files if not name.lower().endswith(".json")]
        try:
            results = run(warcs, records, deep=deep, scheduler=scheduler, workers=workers)
        except WarciteError as error:
            click.echo(f"Error: {error}", err=True)
            sys.exit(error.exit_code)
        lines = "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in results)
        if output:
            Path(output).write_text(lines, encoding="utf-8")
        else:
            click.echo(lines, nl=False)
        failed = [item for item in results if not item["ok"]]
        click.echo(
            f"{len(results)} files checked with Dask ({scheduler}): {len(failed)} with problems",
            err=True,
        )
        sys.exit(5 if failed else 0)

    command(
        args=list(argv) if argv is not None else None,
        prog_name="python -m warcite.collection.distributed",
    )


if __name__ == "__main__":
    main()


__all__ = ["SCHEDULERS", "check_record", "check_warc", "main", "run"]
