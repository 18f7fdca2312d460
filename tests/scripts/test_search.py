"""Random and Optuna searches: the requested number of distinct points, stored once, resumed on rerun."""
from conftest import cli, store_rows, write_sweep

SPACE = {"voltage": [0.9, 1.0, 1.1, 1.25, 1.6],
         "ecc": ["none", "full", "sign-exp-scale", "sign-exp-scale/mixed-voltage"],
         "architecture.array.multiplier": ["mantissa-lut", "full-lut"]}


def test_random_search_draws_distinct_points_reproducibly(tmp_path):
    sweep = write_sweep(tmp_path / "s.yaml", parameters=SPACE, search={"kind": "random", "samples": 5})
    a, b = tmp_path / "a.sqlite", tmp_path / "b.sqlite"
    assert cli("run", sweep, "--store", a, "--no-progress").returncode == 0
    assert cli("run", sweep, "--store", b, "--no-progress").returncode == 0
    ra, rb = store_rows(a), store_rows(b)
    assert len(ra) == 5 and ra.keys() == rb.keys()  # same seed, same points


def test_optuna_search_stores_its_trials_and_resumes(tmp_path):
    sweep = write_sweep(tmp_path / "s.yaml", parameters=SPACE, search={"kind": "optuna", "samples": 6})
    store = tmp_path / "o.sqlite"
    r = cli("run", sweep, "--store", store, "--no-progress")
    assert r.returncode == 0, r.stderr
    rows = store_rows(store)
    assert len(rows) == 6  # distinct points; a repeated proposal is told its stored values, never re-evaluated
    assert all({"energy_uj", "area_mm2", "accuracy"} <= set(m) for _, m in rows.values())
    r = cli("run", sweep, "--store", store, "--no-progress")
    assert r.returncode == 0 and "0 computed" in r.stdout, r.stdout
    assert store_rows(store) == rows
    out = tmp_path / "report"
    r = cli("report", "--store", store, "--out", out)
    assert r.returncode == 0 and (out / "report.html").exists() and (out / "pareto.png").exists()
    html = (out / "report.html").read_text()
    assert html.count("data:image/png;base64,") >= 2 and "<tr class=front>" in html
