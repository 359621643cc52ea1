"""The processes that print PDF editions, started before anyone knows they are needed.

Printing is most of a build's time, and loading WeasyPrint is most of a printer's
start-up. So a build that will print starts its printers first, before it even
imports the model and validates: a fork server loads WeasyPrint on another core
while this process validates and renders the texts, and the workers forked from it
start with WeasyPrint loaded. If it turns out there is nothing to print (an invalid
source), the workers are killed, not waited for.

With ``--jobs 1`` there is no worker: the PDFs are printed here, one after another,
the simplest way and the one to measure the others against.

**The workers die with the build, however it ends.** A signal handler cannot see
``kill -9``, so each worker holds the reading end of a pipe, its *lifeline*, whose
only writing end is this process's, and a thread in the worker waits on it. When this
process ends, for any reason, the kernel closes that end, the read returns, and the
worker exits at once, mid-PDF if need be. With the workers gone, the fork server and
multiprocessing's resource tracker end too (each exits when the last process holding
its pipe does), so nothing of a killed build keeps running. A pipe rather than Linux's
``PR_SET_PDEATHSIG``: the workers' parent is the fork server, not the build, and a
pipe works wherever multiprocessing does.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from multiprocessing import forkserver
from multiprocessing.connection import Connection
from typing import Generic, TypeVar

from sla_docs.editions.pdf import PrintJob, pdf_bytes
from sla_docs.errors import SlaError
from sla_docs.library_internals import terminate_workers

Key = TypeVar("Key")


class Printers(Generic[Key]):
    """Up to ``most`` worker processes that print PDFs; with ``most`` = 1, this process.

    Used as a context manager, which ends the workers when the block ends.
    """

    def __init__(self, most: int) -> None:
        self._most = most
        self._pool: ProcessPoolExecutor | None = None
        self._printing: dict[Future[bytes], Key] = {}
        self._printed: list[tuple[Key, bytes | SlaError]] = []
        self._lifeline: tuple[Connection, Connection] | None = None

    def start(self, count: int) -> None:
        """Start ``count`` workers now (no more than ``most``), unless some are running."""
        count = min(count, self._most)
        if self._pool is not None or self._most < 2 or count < 1:
            return
        context = _context()
        self._lifeline = context.Pipe(duplex=False)  # (the workers' end, this process's)
        self._pool = ProcessPoolExecutor(count, context, initializer=_die_with_the_build,
                                         initargs=(self._lifeline[0],))

    def submit(self, key: Key, job: PrintJob) -> None:
        """Print ``job``; its result comes out of :meth:`results` under ``key``."""
        self.start(self._most)
        if self._pool is not None:
            self._printing[self._pool.submit(pdf_bytes, job)] = key
            return
        try:
            self._printed.append((key, pdf_bytes(job)))
        except SlaError as error:
            self._printed.append((key, error))

    def results(self, *, wait: bool = True) -> Iterator[tuple[Key, bytes | SlaError]]:
        """Each job's PDF, or the error that stopped it, as soon as it is done.

        With ``wait=False``, only the jobs already done.
        """
        printed, self._printed = self._printed, []
        yield from printed
        # as_completed works on a copy, so the futures can leave the dict meanwhile
        finished = (as_completed(self._printing) if wait else
                    [future for future in self._printing if future.done()])
        for done in finished:
            key = self._printing.pop(done)
            try:
                yield key, done.result()
            except SlaError as error:
                yield key, error

    def stop(self) -> None:
        """Kill the workers now: whatever they were doing is no longer wanted."""
        if self._pool is None:
            return
        terminate_workers(self._pool)
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._pool = None
        self._cut_lifeline()

    def close(self) -> None:
        """Let the workers finish what they were given, and end them.

        Once every result is in, they are idle and are killed rather than waited
        for: a process that has laid out documents takes a while to tear down.
        """
        if self._pool is None:
            return
        if self._printing:
            self._pool.shutdown(wait=True)
            self._pool = None
            self._cut_lifeline()
        else:
            self.stop()

    def _cut_lifeline(self) -> None:
        for end in self._lifeline or ():
            end.close()
        self._lifeline = None

    def __enter__(self) -> Printers[Key]:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        """End the workers: politely when the block went well, killed when it failed."""
        if kind is None:
            self.close()
        else:
            self.stop()


def _die_with_the_build(lifeline: Connection) -> None:
    """In each worker, first: exit as soon as the build's end of ``lifeline`` closes."""
    threading.Thread(target=_wait_then_exit, args=(lifeline,), daemon=True,
                     name="lifeline").start()


def _wait_then_exit(lifeline: Connection) -> None:
    with contextlib.suppress(EOFError, OSError):
        lifeline.recv_bytes()  # nothing is ever sent: this returns when the build is gone
    # at once, whatever the main thread is printing: nobody wants it now (Windows has
    # no SIGKILL; its SIGTERM ends a process as abruptly)
    os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))


def _context() -> multiprocessing.context.BaseContext:
    """Workers forked from a server that has loaded WeasyPrint once, where there is one.

    The server starts now and loads WeasyPrint while this process validates; each
    worker is then a fork of it, ready in milliseconds, and two workers do not load
    WeasyPrint twice on two cores that have better things to do. Where there is no
    fork server (Windows) each worker is a fresh process that loads it on its first PDF.
    """
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["sla_docs.editions.preload"])
    forkserver.ensure_running()
    return context
