"""The lut-energy study's design points (scripts/nvfp4dse/study_lut_energy.py): what it asks the simulator for."""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

from nvfp4dse import study_lut_energy as s  # noqa: E402


def test_conditions_set_every_bank():
    for sram, volts in s.SRAM.items():
        for cond in s.CONDITIONS:
            doc = s.arch_doc("edge-small", sram, "full-lut", "nvfp4", cond)
            a = doc["architecture"]
            assert a["sram_technology"] == sram and a["array"]["multiplier"] == "full-lut"
            want_v = volts["scaled"] if cond[1] else volts["nominal"]
            for bank in a["sram"].values():
                assert (bank["voltage_v"], bank["ecc_layout"], bank["ecc_mode"]) == (want_v, cond[2], cond[3])
            assert doc["run"]["faults"] is False
            assert Path(a["technology"]).is_file()


def test_scaled_voltage_is_two_thirds_of_nominal():
    for volts in s.SRAM.values():
        assert abs(volts["scaled"] / volts["nominal"] - 2 / 3) < 1e-3


def test_table_sizes_come_from_lut_images():
    sizes = s.table_sizes()
    # lut/tables.hpp: mantissa E2M1 x E4M3 = 2-bit x 4-bit significands -> 64 entries of 6 bits; full E2M1 x E4M3 =
    # 4-bit x 8-bit codes -> 4096 entries.
    assert sizes["mant_e2m1_e4m3"] == (64, 6)
    assert sizes["full_e2m1_e4m3"][0] == 4096
    assert sizes["full_e2m1_e2m1"][0] == 256
