"""The local run's workers (`nvfp4-dse run --workers N`): N processes forked from the `nvfp4-dse` process, behind the
standard `concurrent.futures.Executor` interface that Dask's client also offers (runner.py runs one loop on either).

Why not a local Dask cluster: its import, scheduler, nannies and close cost ~1 s of wall per run, all of it serial
(docs/BENCHMARKS.md, dse, sixth session), while a local run needs none of what Dask adds (remote workers, a scheduler
shared between clients). Forked workers start with the parent's imports, its heap policy (mallopt state) and its
warm-up (warm_up.py) instead of computing them again.

Each worker is a one-process `ProcessPoolExecutor` (a "slot") that runs one point at a time, so a worker that dies
(killed, out of memory, a crash in C++) takes only its own point with it: the slot is replaced by a new fork and the
point is put back at the head of the queue, up to ALLOWED_FAILURES deaths per point (Dask's
`distributed.scheduler.allowed-failures` default); after that the point's future fails with WorkerLost.
"""
from __future__ import annotations

import collections
import multiprocessing
import os
import sys
import threading
from concurrent.futures import Executor, Future
from concurrent.futures.process import BrokenProcessPool, ProcessPoolExecutor

ALLOWED_FAILURES = 5  # deaths of a worker while running one point before that point is reported as failed


class WorkerLost(Exception):
    pass


class _Task:
    __slots__ = ("future", "fn", "args", "deaths")

    def __init__(self, future, fn, args):
        self.future, self.fn, self.args, self.deaths = future, fn, args, 0


class ForkedWorkers(Executor):
    """`workers` processes, forked on Linux (spawned elsewhere), each running one submitted call at a time."""

    def __init__(self, workers: int):
        method = "fork" if sys.platform.startswith("linux") else "spawn"
        self._context = multiprocessing.get_context(method)
        self._lock = threading.Lock()
        self._queue: collections.deque[_Task] = collections.deque()
        self._idle = [self._new_slot() for _ in range(workers)]
        self._slots = set(self._idle)
        self._closed = False

    def _new_slot(self) -> ProcessPoolExecutor:
        # The process is forked at the slot's first call, by whichever thread submits it.
        return ProcessPoolExecutor(1, mp_context=self._context, initializer=_exit_with_parent, initargs=(os.getpid(),))

    def submit(self, fn, /, *args, **kwargs):
        if kwargs:
            raise TypeError("ForkedWorkers.submit takes positional arguments only")
        future = Future()
        with self._lock:
            if self._closed:
                raise RuntimeError("submit after shutdown")
            self._queue.append(_Task(future, fn, args))
            started = self._dispatch()
        self._watch(started)
        return future

    def _dispatch(self) -> list:  # with the lock held; the caller watches what started once it released the lock
        started = []
        while self._idle and self._queue:
            task = self._queue.popleft()
            if task.deaths == 0 and not task.future.set_running_or_notify_cancel():
                continue  # cancelled while queued
            slot = self._idle.pop()
            try:
                inner = slot.submit(task.fn, *task.args)
            except BrokenProcessPool:  # its process died while idle: a new one, the same task
                self._slots.discard(slot)
                slot = self._new_slot()
                self._slots.add(slot)
                inner = slot.submit(task.fn, *task.args)
            started.append((slot, task, inner))
        return started

    def _watch(self, started: list) -> None:
        # Outside the lock: a call that has already finished runs its callback here, in this thread.
        for slot, task, inner in started:
            inner.add_done_callback(lambda f, slot=slot, task=task: self._finished(slot, task, f))

    def _finished(self, slot: ProcessPoolExecutor, task: _Task, inner: Future) -> None:
        """Runs in the slot's manager thread once its call returned or raised, or its process died."""
        error = inner.exception()
        died = isinstance(error, BrokenProcessPool)
        started = []
        with self._lock:
            if died:  # the process is gone (its pool shuts itself down): a new worker; the task again, or failed
                self._slots.discard(slot)
                slot = None if self._closed else self._new_slot()
                task.deaths += 1
                if task.deaths <= ALLOWED_FAILURES and not self._closed:
                    self._queue.appendleft(task)
                else:
                    error = WorkerLost(f"a worker died {task.deaths} times while running this point "
                                       f"(allowed: {ALLOWED_FAILURES})")
            if slot is not None and not self._closed:
                self._slots.add(slot)
                self._idle.append(slot)
                started = self._dispatch()
        self._watch(started)
        if died and isinstance(error, BrokenProcessPool):
            return  # queued again
        if error is not None:
            task.future.set_exception(error)
        else:
            task.future.set_result(inner.result())

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        with self._lock:
            self._closed = True
            queued, self._queue = list(self._queue), collections.deque()
            slots = list(self._slots)
        for task in queued:
            task.future.cancel() or task.future.set_exception(WorkerLost("the run was closed first"))
        if not wait:  # an interrupted run: end the workers now, whatever they run
            for slot in slots:
                for process in list(getattr(slot, "_processes", {}).values()):
                    process.kill()
                slot.shutdown(wait=False, cancel_futures=True)
            return
        # All at once: a worker's exit (the kernel freeing its heap, ~0.1 s) overlaps the others'.
        closing = [threading.Thread(target=slot.shutdown, kwargs={"cancel_futures": True}) for slot in slots]
        for t in closing:
            t.start()
        for t in closing:
            t.join()


def _exit_with_parent(parent: int) -> None:
    """A worker whose `nvfp4-dse` process is gone (SIGKILL leaves it no time to close its workers) exits within a
    second instead of waiting forever on its inherited pipes."""
    def watch():
        import time
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)
    threading.Thread(target=watch, name="nvfp4dse-parent-watch", daemon=True).start()
