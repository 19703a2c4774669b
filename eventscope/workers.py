"""Coding on several cores: worker processes that each load the coder once and code batches of articles.

The main process keeps everything that must happen in input order (reading, cleaning, story detection, writing
to the store); workers only turn batches of articles into coded articles. Results can come back in any order;
``CodingWorkers.results`` hands them out by batch number and the caller writes them in order, so that the store
ends with the same rows whatever the number of workers.

Workers are started with ``spawn`` by default: a fresh interpreter that loads the model itself, so that nothing
of the main process (an open DuckDB file and its threads) is copied into it. They ignore Ctrl-C (the main
process handles it and stops them) and die with the main process (Linux: PR_SET_PDEATHSIG), so that a killed
run leaves no orphans.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import queue
import signal
import traceback

from eventscope.model import STATUS_ERROR, Article, CodedArticle

DEFAULT_START_METHOD = "spawn"
_POLL_S = 0.5


class WorkerError(RuntimeError):
    """A worker could not start or died: the message says why."""


def code_safely(coder, articles: list[Article]) -> list[CodedArticle]:
    """Code a batch; should the coder fail on it, code the articles one by one and record those it fails on with
    the status ``error`` and the reason, so that one bad article does not end a run."""
    try:
        return list(coder.code_articles(articles))
    except Exception:  # a coder bug: find the article(s) that cause it
        out = []
        for art in articles:
            try:
                out.extend(coder.code_articles([art]))
            except Exception as exc:
                art.status = STATUS_ERROR
                art.reason = f"the coder failed: {type(exc).__name__}: {exc}"
                out.append(CodedArticle(art))
        return out


def peak_rss_mb(pid: int | None = None) -> float | None:
    """The peak resident memory of a process (VmHWM, Linux), in MB; None where it cannot be read."""
    path = f"/proc/{pid or 'self'}/status"
    try:
        with open(path, encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def _die_with_parent() -> None:
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the queue closing ends the worker instead
        pass


def _worker_main(config, tasks, results) -> None:
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        from eventscope.coder import Coder

        coder = Coder.from_config(config)
    except BaseException as exc:  # reported to the main process, which fails the run
        results.put(("failed", None, f"{type(exc).__name__}: {exc}"))
        return
    results.put(("ready", os.getpid(), None))
    while True:
        try:
            item = tasks.get()
        except (EOFError, OSError):
            return
        if item is None:
            return
        number, articles = item
        try:
            results.put(("done", number, code_safely(coder, articles)))
        except BaseException:
            results.put(("failed", number, traceback.format_exc()))


class CodingWorkers:
    """``n`` worker processes coding batches. Use as a context manager; ``close`` stops them."""

    def __init__(self, config, n: int, start_method: str | None = None) -> None:
        ctx = mp.get_context(start_method or DEFAULT_START_METHOD)
        self.n = n
        self._tasks = ctx.Queue()
        self._results = ctx.Queue()
        self._procs = [ctx.Process(target=_worker_main, args=(config, self._tasks, self._results), daemon=True,
                                   name=f"eventscope-coder-{i + 1}") for i in range(n)]
        for p in self._procs:
            p.start()
        self._done: dict[int, list[CodedArticle]] = {}
        self._ready = 0
        self.peaks: dict[int, float] = {}

    def __enter__(self) -> CodingWorkers:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def submit(self, number: int, articles: list[Article]) -> None:
        self._tasks.put((number, articles))

    def result(self, number: int) -> list[CodedArticle]:
        """The coded articles of batch ``number`` (waits for it)."""
        while number not in self._done:
            try:
                kind, key, value = self._results.get(timeout=_POLL_S)
            except queue.Empty:
                dead = [p for p in self._procs if not p.is_alive()]
                if dead:
                    codes = ", ".join(f"{p.name} exit code {p.exitcode}" for p in dead)
                    raise WorkerError(f"a coding worker died ({codes})") from None
                continue
            if kind == "ready":
                self._ready += 1
            elif kind == "done":
                self._done[key] = value
            else:
                raise WorkerError(f"a coding worker failed: {value}")
        return self._done.pop(number)

    def peak_rss_mb(self) -> float | None:
        """Sum of the workers' peak resident memory (while they run), in MB."""
        peaks = [peak_rss_mb(p.pid) for p in self._procs if p.pid is not None and p.is_alive()]
        if not peaks or any(v is None for v in peaks):
            return None
        return sum(peaks)

    def close(self) -> None:
        """Stop the workers: politely when they are idle, by force when they are not (Ctrl-C, an error)."""
        for _ in self._procs:
            with contextlib.suppress(Exception):
                self._tasks.put_nowait(None)
        for p in self._procs:
            p.join(timeout=2)
        for p in self._procs:
            if p.is_alive():
                p.kill()
                p.join(timeout=2)
        for q in (self._tasks, self._results):
            with contextlib.suppress(Exception):
                q.cancel_join_thread()
                q.close()
