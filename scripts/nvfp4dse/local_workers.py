"""The local run's workers (`nvfp4-dse run --workers N`): N processes forked from the `nvfp4-dse` process, behind the
standard `concurrent.futures.Executor` interface that Dask's client also offers (runner.py runs one loop on either).

Why not a local Dask cluster: its import, scheduler, nannies and close cost ~1 s of wall per run, all of it serial
(docs/BENCHMARKS.md, dse, sixth session), while a local run needs none of what Dask adds (remote workers, a scheduler
shared between clients). Forked workers start with the parent's imports, its heap policy (mallopt state) and its
warm-up (warm_up.py) instead of computing them again.

Each worker is one process and a pipe, driven by one thread of this process that hands it the next queued call and
waits for its answer, so a worker runs one call at a time and a worker that dies (killed, out of memory, a crash in
C++: its end of the pipe closes) takes only its own call with it: a new worker is forked in its place and the call is
put back at the head of the queue, up to ALLOWED_FAILURES deaths per call (Dask's
`distributed.scheduler.allowed-failures` default); after that the call's future fails with WorkerLost. The workers
are forked when the pool is made, from the calling thread.
"""
from __future__ import annotations

import collections
import multiprocessing
import os
import signal
import sys
import threading
from concurrent.futures import Executor, Future

ALLOWED_FAILURES = 5  # deaths of a worker while running one call before that call is reported as failed


class WorkerLost(Exception):
    pass


class WorkerStartError(OSError):
    """The system refused a worker process (fork: out of memory, or the process limit reached)."""


class _Task:
    __slots__ = ("future", "fn", "args", "deaths")

    def __init__(self, future, fn, args):
        self.future, self.fn, self.args, self.deaths = future, fn, args, 0


class _Worker:
    """One forked (or spawned) process serving calls over a pipe (_serve)."""

    def __init__(self, context):
        self.sent = False  # whether the current call reached the worker (a death before it is not charged)
        self.conn, child_end = context.Pipe()
        self.process = context.Process(target=_serve, args=(child_end, os.getpid()), name="nvfp4dse-worker",
                                       daemon=True)
        self.process.start()
        child_end.close()  # this process keeps only its own end: the worker's death closes the pipe

    def call(self, fn, args):
        """(True, fn(*args)) or (False, the exception it raised); raises EOFError or OSError when the process is gone
        (before or while running it: see `sent`)."""
        self.sent = False
        self.conn.send((fn, args))
        self.sent = True
        return self.conn.recv()

    def stop(self) -> None:
        try:
            self.conn.send(None)  # the worker returns from _serve and exits
        except OSError:
            pass
        self.conn.close()

    def kill(self) -> None:
        self.process.kill()  # its driver's recv then meets the end of file


class ForkedWorkers(Executor):
    """`workers` processes, forked on Linux (spawned elsewhere), each running one submitted call at a time."""

    def __init__(self, workers: int):
        method = "fork" if sys.platform.startswith("linux") else "spawn"
        self._context = multiprocessing.get_context(method)
        self._cond = threading.Condition()
        self._queue: collections.deque[_Task] = collections.deque()
        self._closed = False
        self._workers: list[_Worker] = []
        try:
            for _ in range(workers):  # all forked before any thread starts
                self._workers.append(_Worker(self._context))
        except OSError as e:  # none left behind: the ones started are ended
            for worker in self._workers:
                worker.kill()
            raise WorkerStartError(f"cannot start local worker {len(self._workers) + 1} of {workers} ({e}); "
                                   "fewer --workers, or free memory / processes") from e
        self._drivers = [threading.Thread(target=self._drive, args=(i,), name=f"nvfp4dse-driver-{i}", daemon=True)
                         for i in range(workers)]
        for t in self._drivers:
            t.start()

    def submit(self, fn, /, *args, **kwargs):
        if kwargs:
            raise TypeError("ForkedWorkers.submit takes positional arguments only")
        future = Future()
        with self._cond:
            if self._closed:
                raise RuntimeError("submit after shutdown")
            self._queue.append(_Task(future, fn, args))
            self._cond.notify()
        return future

    def _next(self) -> _Task | None:
        """The next queued call that was not cancelled meanwhile; None once the pool is closed."""
        with self._cond:
            while True:
                while not self._queue and not self._closed:
                    self._cond.wait()
                if self._closed:
                    return None
                task = self._queue.popleft()
                if task.future.running() or task.future.set_running_or_notify_cancel():  # running: put back
                    return task

    def _drive(self, slot: int) -> None:
        """Thread of worker `slot`: hands it one call at a time; replaces it when it dies."""
        while (task := self._next()) is not None:
            worker = self._workers[slot]
            try:
                ok, value = worker.call(task.fn, task.args)
            except (EOFError, OSError):  # the process is gone: a new worker; the call again, or failed
                worker.process.join()
                with self._cond:
                    if self._closed:
                        self._fail(task, WorkerLost("the run was closed first"))
                        return
                    try:
                        self._workers[slot] = _Worker(self._context)
                    except OSError as e:  # no process to run it on: the call fails (never a wait without end); the
                        # dead worker stays in its slot, so the next call meets EOF and tries again
                        self._fail(task, WorkerLost(f"its worker died and no new one could be started ({e})"))
                        continue
                    task.deaths += worker.sent  # a worker found dead before it got the call is not charged
                    if task.deaths <= ALLOWED_FAILURES:
                        self._queue.appendleft(task)
                        continue
                self._fail(task, WorkerLost(f"a worker died {task.deaths} times while running this point "
                                            f"(allowed: {ALLOWED_FAILURES})"))
                continue
            except Exception as e:  # an answer this process cannot unpickle: the call's failure, not the worker's
                task.future.set_exception(e)
                continue
            if ok:
                task.future.set_result(value)
            else:
                task.future.set_exception(value)

    @staticmethod
    def _fail(task: _Task, error: Exception) -> None:
        if not task.future.done():
            task.future.set_exception(error)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Queued calls are cancelled. wait: the running calls finish first (each driver then stops its worker; their
        exits overlap); else (an interrupted run, or calls no longer wanted) every worker is killed now."""
        with self._cond:
            if self._closed:
                return
            self._closed = True
            queued, self._queue = list(self._queue), collections.deque()
            self._cond.notify_all()
        for task in queued:
            task.future.cancel() or self._fail(task, WorkerLost("the run was closed first"))
        if not wait:
            for worker in self._workers:
                worker.kill()
            return
        for t in self._drivers:  # each returns once its running call is answered
            t.join()
        for worker in self._workers:  # all told first, then waited for: the kernel frees their heaps side by side
            worker.stop()
        for worker in self._workers:
            worker.process.join()


def _serve(conn, parent: int) -> None:
    """A worker's loop: (fn, args) in, (True, result) or (False, exception) out, until None or end of file. Ctrl-C is
    the `nvfp4-dse` process's to handle (it ends its workers); a worker whose `nvfp4-dse` process is gone (SIGKILL
    leaves it no time to end them) exits within a second instead of waiting forever on its pipe."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with, args=(parent,), name="nvfp4dse-parent-watch", daemon=True).start()
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        fn, args = message
        try:
            reply = (True, fn(*args))
        except Exception as e:  # the caller's future raises it
            reply = (False, e)
        try:
            conn.send(reply)
        except Exception as e:  # a result or exception that cannot be pickled: say so instead of dying
            conn.send((False, RuntimeError(f"the worker's answer could not be sent back: {e!r}")))


def _exit_with(parent: int) -> None:
    import time
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)
