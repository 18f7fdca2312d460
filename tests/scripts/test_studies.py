"""Studies: each command writes its table, plot and page; the numbers obey what the studies claim."""
import csv

from conftest import cli


def _table(path):
    return list(csv.DictReader(open(path)))


def test_storage_bits_study(tmp_path):
    r = cli("study", "storage-bits", "--out", tmp_path)
    assert r.returncode == 0, r.stderr
    rows = {int(row["B"]): row for row in _table(tmp_path / "storage-bits.csv")}
    assert float(rows[16]["N=4096"]) == 4.5078125
    assert float(rows[1]["N=256"]) == 4 + 8 + 32 / 256
    assert (tmp_path / "storage-bits.png").stat().st_size > 10_000
    assert "4.5078" in (tmp_path / "storage-bits.md").read_text()


def test_component_sensitivity_nvfp4_beats_mxfp4_on_real_layers(tmp_path):
    r = cli("study", "component-sensitivity", "--out", tmp_path)
    assert r.returncode == 0, r.stderr
    rows = _table(tmp_path / "component-sensitivity.csv")
    assert len(rows) == 12 and {row["layer"].split(".")[1] for row in rows} == {"q", "k", "v", "o", "up", "down"}
    for row in rows:  # finer UE4M3 scales on 16 elements beat power-of-two scales on 32 on every real layer
        assert float(row["NVFP4 SQNR dB"]) > float(row["MXFP4 SQNR dB"]) > 5.0, row


def test_unknown_study_is_refused():
    r = cli("study", "nonsense")
    assert r.returncode == 2 and "unknown study 'nonsense'" in r.stderr
