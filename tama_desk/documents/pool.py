"""Render many invoices, receipts or reminders on every core: a process pool of 'spawn' workers (the only start
method Windows has; the frozen entry points call `multiprocessing.freeze_support()` first so a worker started
from TamaDesk.exe stops there). The bytes are those of one process: `render()` is deterministic (invariant).

`multiprocessing.Pool`, not `concurrent.futures.ProcessPoolExecutor`: the executor wakes its manager thread with
an empty message on a Windows pipe, which Wine's named pipes report as readable but never deliver, so under Wine
(the smoke test of the Windows build) its first batch hung for ever in `_ThreadWakeup.clear()`.

Fixed costs, measured (issue #14): a worker costs about 0.55 s of CPU once — the interpreter, importing
reportlab, PIL and the tama_desk modules `documents.invoice` pulls in (0.3 s), registering the font (0.08 s) —
and keeps the font for every later task (register_fonts() once per process; workers live for the batch).
Sending a document costs about 3 KB of pickle, a PDF back about 80 KB; chunks of up to 20 keep the round
trips few. A document takes about 18 ms, so with w workers the pool saves time from about
w × 0.55 s / ((w − 1) × 18 ms) ≈ 60 documents on 2 cores: a smaller batch (POOL_MIN) is rendered here.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator, Sequence
from multiprocessing.pool import AsyncResult

from tama_desk.documents import invoice

POOL_MIN = 64
# Seconds to wait for one task's result: the pool waits for ever for the task of a worker that died (a crash,
# ended by the user), so the batch fails then instead of hanging.
TASK_TIMEOUT = 600


def enabled() -> bool:
    """On unless TAMA_DESK_PDF_POOL=0 (every batch in this process)."""
    return os.environ.get("TAMA_DESK_PDF_POOL") != "0"


def workers_for(count: int, workers: int | None = None) -> int:
    """How many processes render `count` documents (1: this process only): the `workers` asked for, else one
    per core for a batch of at least POOL_MIN."""
    if not enabled():
        return 1
    if workers is not None:
        return max(1, min(workers, count))
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return 1 if count < POOL_MIN else max(1, min(cores, 8))


def render_one(document: tuple) -> bytes:
    snapshot, reason, *when = document
    return invoice.render(snapshot, reason, when[0] if when else None)


def render_chunk(documents: Sequence[tuple]) -> list[bytes]:
    return [render_one(document) for document in documents]


class Batch:
    """`files()` yields each document's PDF in order; `combined()` the print file of all of them, rendered
    meanwhile by a worker of the same pool. Leave the `with` block to stop the workers (a cancelled batch
    stops without rendering the rest)."""

    def __init__(self, documents: Sequence[tuple], combined: bool = False, workers: int | None = None):
        self.documents = list(documents)
        self.workers = workers_for(len(self.documents), workers)
        self.pool = None
        self.print_file: AsyncResult | None = None
        if self.workers > 1:
            self.pool = multiprocessing.get_context("spawn").Pool(self.workers)
            if combined:  # first in the queue: the longest task
                self.print_file = self.pool.apply_async(invoice.render_many, (self.documents,))

    def files(self) -> Iterator[bytes]:
        if self.pool is None:
            yield from map(render_one, self.documents)
            return
        size = max(1, min(20, len(self.documents) // (self.workers * 4)))
        chunks = [self.documents[start:start + size] for start in range(0, len(self.documents), size)]
        results = self.pool.imap(render_chunk, chunks)
        for _chunk in chunks:
            yield from results.next(TASK_TIMEOUT)

    def combined(self) -> bytes:
        return self.print_file.get(TASK_TIMEOUT) if self.print_file else invoice.render_many(self.documents)

    def __enter__(self) -> Batch:
        return self

    def __exit__(self, kind, _error, _trace) -> None:
        if self.pool is None:
            return
        if kind is None:
            self.pool.close()
        else:  # cancelled or failed: the workers stop without rendering the rest
            self.pool.terminate()
        self.pool.join()
