"""Bad input: a clear message naming the problem, exit status 2, and the results store left as it was."""
import shutil

from conftest import cli, store_rows, write_sweep


def _fails(result, *words):
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert result.stderr.startswith("error: "), result.stderr
    for w in words:
        assert w in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_malformed_yaml_names_the_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\nparameters:\n  voltage: [0.5, 0.6\n")
    _fails(cli("run", bad, "--store", tmp_path / "s.sqlite"), "malformed YAML", "line")
    assert not (tmp_path / "s.sqlite").exists()


def test_unknown_parameter_and_keys(tmp_path):
    _fails(cli("run", write_sweep(tmp_path / "a.yaml", parameters={"volts": [0.5]}), "--store", tmp_path / "a.db"),
           "unknown parameter 'volts'", "nearest: voltage")
    _fails(cli("run", write_sweep(tmp_path / "a2.yaml", parameters={"architecture.array.rowz": [2]}), "--store",
               tmp_path / "a2.db"), "unknown parameter 'architecture.array.rowz'", "nearest: architecture.array.rows")
    _fails(cli("run", write_sweep(tmp_path / "b.yaml", sweeps=3), "--store", tmp_path / "b.db"), "unknown key 'sweeps'")
    _fails(cli("run", write_sweep(tmp_path / "b2.yaml", evaluator="analytic"), "--store", tmp_path / "b2.db"),
           "'evaluator' is gone")
    assert not any((tmp_path / f).exists() for f in ("a.db", "a2.db", "b.db", "b2.db"))


def test_points_the_simulator_refuses_are_refused_before_any_worker(tmp_path):
    """The simulator's own message (file = sweep + point, dotted key), exit 2, no store created."""
    cases = [({"architecture.array.block": [16, 12]}, "key 'architecture.array.block': must be a power of two"),
             ({"voltage": [0.9, 2.0]}, "key 'architecture.sram.activations.voltage_v'"),
             ({"ecc": ["full", "parity"]}, "parity"),
             ({"architecture.array.dataflow": ["os", "diagonal"]}, "diagonal"),
             ({"architecture.array.lut_storage": ["logic", "sram"]}, "lut_storage: sram and run.faults is not modelled")]
    for i, (params, words) in enumerate(cases):
        store = tmp_path / f"s{i}.db"
        r = cli("run", write_sweep(tmp_path / f"s{i}.yaml", parameters=params), "--store", store)
        _fails(r, f"s{i}.yaml: point", words)
        assert not store.exists()
    r = cli("point", "--set", "architecture.array.lanes=3")
    _fails(r, "architecture.array.lanes")
    _fails(cli("run", write_sweep(tmp_path / "d.yaml", workload="resnet19"), "--store", tmp_path / "d.db"),
           "unknown workload 'resnet19'")
    _fails(cli("run", write_sweep(tmp_path / "e.yaml", accuracy="vgg16"), "--store", tmp_path / "e.db"),
           "accuracy 'vgg16' unknown")
    _fails(cli("run", tmp_path / "missing.yaml", "--store", tmp_path / "f.db"), "cannot read sweep file")


def test_unreachable_scheduler_leaves_the_store_intact(tmp_path):
    sweep, store = write_sweep(tmp_path / "s.yaml"), tmp_path / "s.sqlite"
    assert cli("run", sweep, "--store", store, "--workers", "1", "--no-progress").returncode == 0
    before = store_rows(store)
    shutil.copy(store, tmp_path / "copy.sqlite")
    more = write_sweep(tmp_path / "s.yaml", parameters={"voltage": [0.9, 1.0, 1.6, 1.1], "ecc": ["none", "sign-exp-scale"]})
    r = cli("run", more, "--store", store, "--scheduler", "tcp://127.0.0.1:9", "--no-progress", timeout=120)
    _fails(r, "cannot reach the Dask scheduler", "tcp://127.0.0.1:9")
    assert store_rows(store) == before


def test_store_of_another_sweep_is_refused(tmp_path):
    store = tmp_path / "s.sqlite"
    assert cli("run", write_sweep(tmp_path / "a.yaml"), "--store", store, "--no-progress").returncode == 0
    before = store_rows(store)
    _fails(cli("run", write_sweep(tmp_path / "b.yaml", seed=8), "--store", store, "--no-progress"),
           "different sweep definition")
    assert store_rows(store) == before
    (tmp_path / "junk.sqlite").write_text("this is not a database, " * 100)
    _fails(cli("run", write_sweep(tmp_path / "c.yaml"), "--store", tmp_path / "junk.sqlite"), "not a usable results store")


def test_unreachable_scheduler_creates_no_store(tmp_path):
    store = tmp_path / "new.sqlite"
    r = cli("run", write_sweep(tmp_path / "s.yaml", accuracy="none"), "--store", store,
            "--scheduler", "tcp://127.0.0.1:9", "--no-progress", timeout=120)
    _fails(r, "cannot reach the Dask scheduler")
    assert list(tmp_path.iterdir()) == [tmp_path / "s.yaml"]  # no store, no -wal/-shm files


def test_report_and_run_refuse_missing_or_foreign_stores(tmp_path):
    import sqlite3
    _fails(cli("report", "--store", tmp_path / "none.sqlite", "--out", tmp_path / "rep"), "no such results store")
    assert not (tmp_path / "rep").exists() and not (tmp_path / "none.sqlite").exists()
    other = tmp_path / "other.sqlite"  # an SQLite file of another program
    db = sqlite3.connect(other)
    db.execute("CREATE TABLE cats (name TEXT)")
    db.commit()
    db.close()
    before = other.read_bytes()
    _fails(cli("report", "--store", other, "--out", tmp_path / "rep"), "not a results store")
    _fails(cli("run", write_sweep(tmp_path / "s.yaml", accuracy="none"), "--store", other), "not a results store")
    assert other.read_bytes() == before and not (tmp_path / "rep").exists()


def test_numbers_normalised_before_keying(tmp_path):
    from nvfp4dse.space import load_sweep
    from nvfp4dse.store import point_key
    a = load_sweep(write_sweep(tmp_path / "a.yaml", parameters={"voltage": [1], "architecture.array.block": [16.0]}))
    b = load_sweep(write_sweep(tmp_path / "b.yaml", parameters={"voltage": [1.0], "architecture.array.block": [16]}))
    assert [point_key(p) for p in a.points()] == [point_key(p) for p in b.points()]
    _fails(cli("run", write_sweep(tmp_path / "c.yaml", parameters={"voltage": [1, 1.0]}), "--store",
               tmp_path / "c.sqlite"), "lists a value twice")
