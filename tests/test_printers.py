"""The printer processes: started before validation when a build will print, killed
when it turns out it will not, never started for a rebuild with nothing to do, and
their errors brought back to the build."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any, ClassVar

import pytest

import sla_docs.editions.printers
from sla_docs.editions.build import build
from sla_docs.editions.pdf import PrintJob, RefusedResource
from sla_docs.editions.printers import Printers
from sla_docs.errors import InvalidAgreement
from tests.conftest import TODAY

WHEN = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def job(body: str) -> PrintJob:
    return PrintJob(f"<html><body>{body}</body></html>", "a.yaml", "id: a\n", "0" * 64,
                    "en", WHEN)


class CountedPool(ProcessPoolExecutor):
    """A process pool that counts how many times a build starts one."""

    started: ClassVar[int] = 0
    workers: ClassVar[list[Any]] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        CountedPool.started += 1
        super().__init__(*args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        CountedPool.workers += list((self._processes or {}).values())  # type: ignore[attr-defined]
        super().shutdown(wait, cancel_futures=cancel_futures)


def all_ended(workers: list[Any]) -> bool:
    return all(not worker.is_alive() for worker in workers)


@pytest.fixture
def pools(monkeypatch: pytest.MonkeyPatch) -> type[CountedPool]:
    CountedPool.started, CountedPool.workers = 0, []
    monkeypatch.setattr(sla_docs.editions.printers, "ProcessPoolExecutor", CountedPool)
    return CountedPool


def test_a_workers_error_comes_back_with_its_job(pools: type[CountedPool]) -> None:
    with Printers[str](2) as printers:
        printers.submit("asks for a file", job('<img src="file:///etc/passwd">'))
        printers.submit("plain", job("<p>Accordo</p>"))
        printed = dict(printers.results())
    refused = printed["asks for a file"]
    assert isinstance(refused, RefusedResource) and "etc/passwd" in refused.message
    assert isinstance(printed["plain"], bytes) and printed["plain"].startswith(b"%PDF-")
    assert pools.started == 1 and len(pools.workers) == 2 and all_ended(pools.workers)


def test_stopping_kills_the_workers_without_waiting(pools: type[CountedPool]) -> None:
    printers = Printers[str](2)
    printers.submit("long", job("<p>Acuerdo de nivel de servicio.</p>" * 3000))
    printers.stop()
    assert len(pools.workers) == 1 and all_ended(pools.workers)
    assert pools.workers[0].exitcode == -15  # SIGTERM: killed, not finished


def test_with_one_job_everything_is_printed_in_this_process(
        pools: type[CountedPool]) -> None:
    with Printers[str](1) as printers:
        printers.start(4)
        printers.submit("plain", job("<p>Acordo</p>"))
        printed = dict(printers.results(wait=False))  # already there: printed here
    assert isinstance(printed["plain"], bytes) and printed["plain"].startswith(b"%PDF-")
    assert pools.started == 0


def test_printers_start_early_and_are_killed_when_nothing_is_printed(
        tmp_path: Path, minimal_text: str, pools: type[CountedPool]) -> None:
    source, out = tmp_path / "minimal.yaml", tmp_path / "out"
    source.write_text(minimal_text.replace('version: "1.0"', "version: 1.0.0.0"), "utf-8")
    with pytest.raises(InvalidAgreement):
        build([source], out, today=TODAY, jobs=2)
    assert pools.started == 1 and not out.exists()  # started before validation

    source.write_text(minimal_text, "utf-8")
    first = build([source], out, today=TODAY, jobs=2)
    assert [p.name for p in first.written][-1] == "minimal.en.pdf" and pools.started == 2

    assert build([source], out, today=TODAY, jobs=2).written == []
    assert pools.started == 2  # a rebuild with nothing to do starts no printer

    build([source], out, today=TODAY, jobs=2, formats=("md",))
    assert pools.started == 2 and all_ended(pools.workers)  # nor one that prints nothing
