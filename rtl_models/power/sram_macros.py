"""SRAM step of the characterization flow (scripts/characterize --steps sram; docs/energy.md "SRAM"): OpenRAM sky130
Liberty views -> ecc/tech/sky130-openram.csv.

Reads every `*.lib.gz` in <pdk>/sram/ with the PyPI `liberty-parser` package (the only place in the project that
parses these views) and writes one row per Liberty file: the macro's shape, corner, area, leakage and the energy of
one read / write / idle clock cycle. The C++ model that tiles banks from these macros and applies the voltage law is
ecc/'s (ecc/sram_macro_model.hpp, docs/ecc.md "sky130-openram"); this script only extracts numbers.

Energy of one cycle = rise_power + fall_power of `clk0`'s internal_power group whose `when` selects the operation
(read: "!csb0 & web0", write: "!csb0 & !web0", idle: "csb0 & web0"): a clock cycle has one rising and one falling
edge, and OpenSTA charges both. Liberty's internal-energy unit is capacitive_load_unit x voltage_unit^2 (pF x V^2 =
pJ here). Numbers are converted with decimal arithmetic, so every CSV cell is the Liberty value, digit for digit.

Run by scripts/characterize (step `sram`): run(out, check) -> exit status (77 with a message when the views are
missing; with check, 1 naming the first differing data line).
"""
from __future__ import annotations

import gzip
import hashlib
import sys
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts" / "pdk"))
from pdk import PdkMissing, liberty  # noqa: E402  (the project's one PDK lookup)

DEFAULT_OUT = REPO / "ecc" / "tech" / "sky130-openram.csv"
HEADER = ("macro,role,process,voltage_v,temperature_c,word_bits,words,area_um2,leakage_uw,read_pj,write_pj,idle_pj,"
          "provenance,liberty_file")
LIBRARY = "sky130_sram_macros"  # the PDK managers' library folder (volare / ciel: libs.ref/sky130_sram_macros/lib)
# The views read, in ../shared/pdk/sram/ (README there): three macros at TT 25 C 1.8 V and one macro at several corners.
VIEWS = ["sky130_sram_1kbyte_1rw1r_32x256_8_TT_1p8V_25C", "sky130_sram_1kbyte_1rw1r_8x1024_8_TT_1p8V_25C",
         "sky130_sram_2kbyte_1rw1r_32x512_8_TT_1p8V_25C"] + [
    f"sram_1rw1r_32_256_8_sky130_{c}" for c in ("TT_1p7V_25C", "TT_1p8V_25C", "TT_1p9V_25C", "TT_1p8V_0C",
                                                "TT_1p8V_100C", "SS_1p8V_25C", "FF_1p8V_25C")]
WHEN = {"read": "!csb0 & web0", "write": "!csb0 & !web0", "idle": "csb0 & web0"}


def find_views() -> list[Path]:
    """The Liberty views, located by the project's one PDK lookup (scripts/pdk: NVFP4_PDK_ROOT, PDK_ROOT, ../shared/pdk).
    Raises pdk.PdkMissing (its message says where it looked and how to get the files)."""
    return [Path(liberty(LIBRARY, stem)) for stem in VIEWS]


def _unquote(v) -> str:
    return str(v).strip().strip('"')


def _scalar(group, name: str) -> str:
    vals = group.get_groups(name)[0]["values"]
    return _unquote(vals[0]).split(",")[0].strip()


def _corner(file_name: str) -> str:
    for c in ("TT", "SS", "FF"):
        if f"_{c}_" in file_name:
            return c
    raise SystemExit(f"error: {file_name}: no process corner (TT/SS/FF) in the file name")


def read_view(path: Path) -> dict:
    from liberty.parser import parse_liberty
    lib = parse_liberty(gzip.open(path, "rt").read())
    where = path.name
    if _unquote(lib["voltage_unit"]) != "1V" or _unquote(lib["leakage_power_unit"]) != "1mW":
        raise SystemExit(f"error: {where}: expected voltage_unit 1V and leakage_power_unit 1mW")
    cap = lib["capacitive_load_unit"]
    if [float(cap[0]), _unquote(cap[1])] != [1.0, "pF"]:
        raise SystemExit(f"error: {where}: expected capacitive_load_unit (1, pF) (energy in pJ)")
    oc = lib.get_groups("operating_conditions")[0]
    cells = lib.get_groups("cell")
    if len(cells) != 1:
        raise SystemExit(f"error: {where}: expected one cell, found {len(cells)}")
    cell = cells[0]
    mem = cell.get_groups("memory")[0]
    clk = [p for p in cell.get_groups("pin") if _unquote(p.args[0]) == "clk0"]
    if not clk:
        raise SystemExit(f"error: {where}: no clk0 pin")
    energy = {}
    for ip in clk[0].get_groups("internal_power"):
        when = " ".join(_unquote(ip["when"]).split())
        for op, w in WHEN.items():
            if when == w:
                energy[op] = Decimal(_scalar(ip, "rise_power")) + Decimal(_scalar(ip, "fall_power"))
    missing = [op for op in WHEN if op not in energy]
    if missing:
        raise SystemExit(f"error: {where}: clk0 has no internal_power for {', '.join(missing)}")
    return {
        "macro": _unquote(cell.args[0]), "process": _corner(path.name),
        "voltage_v": Decimal(str(oc["voltage"])), "temperature_c": Decimal(str(oc["temperature"])),
        "word_bits": int(mem["word_width"]), "words": 2 ** int(mem["address_width"]),
        "area_um2": Decimal(str(cell["area"])),
        "leakage_uw": Decimal(str(cell["cell_leakage_power"])) * 1000,
        "read_pj": energy["read"], "write_pj": energy["write"], "idle_pj": energy["idle"], "file": path.name,
    }


def _fmt(d) -> str:
    if isinstance(d, Decimal):
        return format(d.normalize(), "f")
    return str(d)


def generate(files: list[Path]) -> tuple[list[str], list[str]]:
    """(banner lines, data lines incl. header) for the given views."""
    views = [read_view(f) for f in files]
    corners = {}
    for v in views:
        corners.setdefault(v["macro"], []).append(v)
    rows = [HEADER]
    for v in sorted(views, key=lambda v: (v["macro"], v["process"], v["temperature_c"], v["voltage_v"])):
        # role: a macro characterized at several corners is the voltage reference; the others are the tiles.
        role = "voltage-reference" if len(corners[v["macro"]]) > 1 else "tile"
        rows.append(",".join(_fmt(x) for x in (v["macro"], role, v["process"], v["voltage_v"], v["temperature_c"],
                                                 v["word_bits"], v["words"], v["area_um2"], v["leakage_uw"],
                                                 v["read_pj"], v["write_pj"], v["idle_pj"], "measured", v["file"])))
    from importlib.metadata import version
    banner = [
        "# generated by scripts/characterize --steps sram (the SRAM step, rtl_models/power/sram_macros.py); do not edit.",
        "# Regenerate: scripts/characterize --steps sram; check: scripts/characterize --steps sram --check",
        f"# Source: OpenRAM sky130 SRAM Liberty views (VLSIDA/sky130_sram_macros, Apache-2.0) found by scripts/pdk, parsed "
        f"with liberty-parser {version('liberty-parser')}.",
        "# Every number is a Liberty characterization value (provenance measured: by OpenRAM's characterizer at the row's",
        "# corner, not by this project; figures at other voltages are the ecc/ model's, labelled scaled / extrapolated):",
        "#   area_um2 = cell area; leakage_uw = cell_leakage_power (mW) x 1000; read/write/idle_pj = rise + fall",
        "#   internal energy of clk0 for when = \"!csb0 & web0\" / \"!csb0 & !web0\" / \"csb0 & web0\" (pF x V^2 = pJ).",
        "# role: tile = a macro the bank model tiles banks from; voltage-reference = the macro characterized at several",
        "#   corners, whose TT 25 C voltages (1.7 / 1.8 / 1.9 V) fit the voltage law (ecc/src/sram_macro_model.cpp).",
        "# Liberty files (sha256, first 16 hex):",
    ]
    banner += [f"#   {f.name} {hashlib.sha256(f.read_bytes()).hexdigest()[:16]}" for f in sorted(files)]
    return banner, rows


def run(out: str, check: bool) -> int:
    """Writes (or with check compares) the SRAM table at `out`; returns the exit status."""
    try:
        import liberty.parser  # noqa: F401
    except ImportError:
        print("error: the PyPI package liberty-parser is missing (pip install -r scripts/deps/pip-ecc.txt)",
              file=sys.stderr)
        return 2
    try:
        files = find_views()
    except PdkMissing as e:
        print(f"skipped: the OpenRAM sky130 SRAM Liberty views are needed.\n{e}", file=sys.stderr)
        return 77
    banner, rows = generate(files)
    out = Path(out)
    if check:
        if not out.is_file():
            print(f"error: {out} does not exist", file=sys.stderr)
            return 2
        committed = [l for l in out.read_text().splitlines() if l and not l.startswith("#")]
        for i, (c, g) in enumerate(zip(committed, rows)):
            if c != g:
                print(f"{out}: data line {i + 1} differs from the Liberty views:\n  committed: {c}\n  generated: {g}",
                      file=sys.stderr)
                return 1
        if len(committed) != len(rows):
            print(f"{out}: {len(committed)} data lines, the Liberty views give {len(rows)}", file=sys.stderr)
            return 1
        print(f"{out}: {len(rows) - 1} rows equal to the Liberty views ({files[0].parent})")
        return 0
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".csv.tmp")
    tmp.write_text("\n".join(banner + rows) + "\n")
    tmp.replace(out)
    print(f"wrote {out} ({len(rows) - 1} macro views from {files[0].parent})")
    return 0
