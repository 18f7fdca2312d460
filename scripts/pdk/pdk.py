"""Python side of the PDK lookup: asks scripts/pdk/liberty.sh (the one owner of the search order, documented there and
in docs/DEVELOPING.md) where a sky130 Liberty file is.

    from pdk import liberty, PdkMissing     (with scripts/pdk on sys.path)
    path = liberty("sky130_fd_sc_hd", "sky130_fd_sc_hd__tt_025C_1v80")   # raises PdkMissing with how to get it
"""
import os
import subprocess

HELPER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "liberty.sh")
SKIP = 77  # the helper's "not found" status, CTest's SKIP_RETURN_CODE


class PdkMissing(Exception):
    """The Liberty file is nowhere in the search order; the message says where it looked and how to get it."""


def liberty(library, cell_lib):
    r = subprocess.run(["bash", HELPER, library, cell_lib], capture_output=True, text=True)
    if r.returncode == 0:
        return r.stdout.strip()
    raise PdkMissing(r.stderr.strip() or f"liberty.sh exited {r.returncode}")
