"""Runs a command as a child subreaper (Linux prctl PR_SET_CHILD_SUBREAPER) and exits with its status once every
process it started has ended: a descendant orphaned meanwhile is reaped here instead of by init, so the rusage of this
process's tree (GNU time's CPU seconds of `python3 reap_tree.py CMD ...`) includes it. Why (scripts/bench_dse.sh): a
sweep's workers exit without waiting for their simulator zygotes (sim/run/child_run.hpp), which with the runs they
fork are ~1.2-1.5 s of CPU per run of the default study that GNU time alone never sees.

Usage: python3 -S scripts/reap_tree.py CMD [ARGS...]"""
import ctypes
import os
import sys

PR_SET_CHILD_SUBREAPER = 36

if len(sys.argv) < 2:
    sys.exit("usage: reap_tree.py CMD [ARGS...]")
if ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
    sys.exit(f"error: prctl(PR_SET_CHILD_SUBREAPER) failed: {os.strerror(ctypes.get_errno())}")
command = os.fork()
if command == 0:
    try:
        os.execvp(sys.argv[1], sys.argv[1:])
    finally:
        os._exit(127)
status = 1
while True:
    try:
        pid, wstatus = os.wait()
    except ChildProcessError:  # none left
        break
    if pid == command:
        status = os.waitstatus_to_exitcode(wstatus)
sys.exit(status if status >= 0 else 128 - status)
