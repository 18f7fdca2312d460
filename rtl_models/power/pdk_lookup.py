"""Where the sky130 HD Liberty is: the project's one PDK lookup (scripts/pdk/liberty.sh via scripts/pdk/pdk.py;
search order NVFP4_PDK_ROOT, PDK_ROOT, ../shared/pdk)."""
import os
import sys

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(REPO, "scripts", "pdk"))
from pdk import SKIP, PdkMissing, liberty  # noqa: E402,F401

LIBRARY, CELL_LIB = "sky130_fd_sc_hd", "sky130_fd_sc_hd__tt_025C_1v80"


def sky130_hd_liberty():
    """Path of the typical-corner HD Liberty; raises PdkMissing with how to get it."""
    return liberty(LIBRARY, CELL_LIB)
