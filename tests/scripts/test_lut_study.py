"""The lut-energy study's design points (scripts/nvfp4dse/study_lut_energy.py): what it asks the simulator for."""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

from nvfp4dse import study_lut_energy as s  # noqa: E402


def test_conditions_set_every_bank_and_the_lut_storage():
    for cond in s.CONDITIONS:
        for storage in s.STORAGES:
            doc = s.arch_doc("full-lut", "nvfp4", cond, storage)
            a = doc["architecture"]
            assert a["sram_technology"] == "sky130-openram" and a["array"]["multiplier"] == "full-lut"
            assert a["array"]["lut_storage"] == storage
            want_v = s.V_SCALED if cond[1] else s.V_NOMINAL
            for bank in a["sram"].values():
                assert (bank["voltage_v"], bank["ecc_layout"], bank["ecc_mode"]) == (want_v, cond[2], cond[3])
            if storage == "sram":  # the tables in the voltage-scaled (or, mixed voltage, nominal) protected bank
                assert a["array"]["lut_voltage_v"] == (s.V_NOMINAL if cond[5] else want_v)
                assert a["array"]["lut_ecc"] == cond[4]
            else:
                assert "lut_voltage_v" not in a["array"] and "lut_ecc" not in a["array"]
            assert doc["run"]["faults"] is False
            assert Path(a["technology"]).is_file()


def test_scaled_voltage_is_two_thirds_of_nominal():
    assert abs(s.V_SCALED / s.V_NOMINAL - 2 / 3) < 1e-3


def test_points_cover_every_storage_of_the_table_styles():
    pts = s.points()
    assert ("fp8", 0, "full-lut", "sram") in pts and ("nvfp4", 3, "mantissa-lut", "latch") in pts
    assert all(p[3] == "logic" for p in pts if p[2] == "array")
    assert len(pts) == len(s.WEIGHTS) * len(s.CONDITIONS) * 7


def test_levels_include_the_table_storage():
    summary = {"energy_pj": {"lane_multipliers": 1.0, "lut_storage": 2.0, "leakage_lut_storage": 0.5,
                             "adder_trees": 3.0, "scale_units": 0, "accumulators": 0, "total": 10.0}}
    assert s.levels(summary, "energy_pj") == (3.5, 6.5, 10.0)


def test_presets_are_taken_as_committed():
    doc = s.preset_doc("edge-small-literature45")
    assert doc["architecture"]["sram_technology"] == "sun2017-65nm"
    assert Path(doc["architecture"]["technology"]).name == "generic-45nm.csv"
    assert s.preset_doc("edge-small", "steady")["run"]["residency"] == "steady"
