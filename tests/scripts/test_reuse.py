"""Reuse between design points (issue 14; docs/dse.md, "Reuse"): a point evaluated in a worker that already evaluated
others, reusing their stored, read-back and multiplied tensors, gives the record it gives in a fresh worker, bit for
bit; and the reuse happens where the points share work (same fault map at the same voltage, or faults that leave the
operands unchanged), so a key that missed an ingredient (voltage, ECC layout) would hand one point another's tensors
and fail the equalities below."""
import json

import pytest

from conftest import ROOT  # noqa: F401  (puts scripts/ and the root on sys.path)

native = pytest.importorskip("nvfp4dse.native", reason="nvfp4_native not built")
if not getattr(native._ext, "has_sim", False):
    pytest.skip("nvfp4_native built without the simulator", allow_module_level=True)

from nvfp4dse import accuracy, evaluate  # noqa: E402


def point(voltage, ecc):
    return {"run.residency": "steady", "voltage": voltage, "ecc": ecc, "arch": "sim/presets/edge-small.yaml",
            "workload": "fmnist_cnn", "accuracy": "fmnist_cnn", "seed": 1}


@pytest.fixture(autouse=True)
def one_chunk(monkeypatch):
    monkeypatch.setattr(accuracy, "FMNIST_IMAGES", 500)  # one chunk of the CNN: the test's CPU time
    forget()


def forget():
    for cache in (accuracy.MEMO, accuracy.NETWORK, accuracy.REFERENCES):
        cache.clear()
        cache.bytes = 0
    accuracy.GROUP_AMAX.clear()


def record(p, fresh: bool) -> str:
    if fresh:
        forget()
    metrics, _ = evaluate.evaluate_point(p)
    return json.dumps(metrics, sort_keys=True)


@pytest.mark.parametrize("before, after", [
    (point(0.9, "none"), point(0.9, "full")),                # same voltage and seed, another ECC layout
    (point(0.9, "none"), point(1.8, "none")),               # same layout, another voltage
    (point(0.9, "full"), point(0.9, "sign-exp-scale/mixed-voltage")),  # another ECC mode
], ids=["layout", "voltage", "mode"])
def test_a_point_after_another_equals_it_fresh(before, after):
    want = record(after, fresh=True)
    first = record(before, fresh=True)
    assert first != want  # the two points differ (faults at 0.9 V: half the sky130 preset's 1.8 V), so handing one the other's tensors shows
    assert record(after, fresh=False) == want


def test_a_point_after_the_local_runs_warm_up_equals_it_fresh():
    """A local run computes the first point's fault-free network in the nvfp4-dse process and its forked
    workers inherit it (warm_up.py): a later point then computes none of it and gives its fresh record."""
    from nvfp4dse import warm_up
    want = record(point(0.9, "full"), fresh=True)
    forget()
    warm = warm_up.start([point(1.0, "none"), point(0.9, "full")], scheduler=None)
    assert warm is not None, "no warm-up for a local run of the CNN"
    assert len(accuracy.REFERENCES) == 4  # conv1 ... fc2 of the one chunk
    misses = accuracy.REFERENCES.misses
    assert record(point(0.9, "full"), fresh=False) == want
    assert accuracy.REFERENCES.misses == misses  # the point found every reference the warm-up left
    assert warm_up.start([point(0.9, "full")], scheduler="tcp://127.0.0.1:8786") is None  # remote workers: no use


def test_points_whose_faults_change_nothing_share_the_network():
    """At the nominal 1.8 V no fault reaches the data with any ECC layout: the second point reuses the first one's stored
    inputs and GEMM outputs of every layer, and its record equals its fresh one."""
    want = record(point(1.8, "full"), fresh=True)
    record(point(1.8, "none"), fresh=True)
    hits = lambda: accuracy.MEMO.hits + accuracy.NETWORK.hits  # noqa: E731
    gemm_hits = hits()
    assert record(point(1.8, "full"), fresh=False) == want
    assert hits() - gemm_hits >= 3 * 4  # stored input, its read-back (weights too) and GEMM per layer
    m = json.loads(want)
    assert m["fault_bits_stored"] > 0 and 0 < m["accuracy"] <= 1


def test_gemm_update_equals_the_full_gemm():
    """nvfp4::gemm_update_into (a faulted GEMM computed from the fault-free one where its operand rows differ) gives the
    bits of the full GEMM, on conv1's real operands read back at 1.0 V without ECC (faults in some rows of both); it
    declines (None) when a tensor scale differs, where row reuse would be wrong."""
    import numpy as np
    sp = native.sim_point(evaluate.arch_text(point(1.0, "none")), "t", str(ROOT))
    fm, params = accuracy.fmnist_module(), accuracy.fmnist_params()
    layer, input_of, w, _ = fm.layer_steps(params, 100)[0]
    a = np.ascontiguousarray(input_of(fm.load_split("test")[0][:100]), np.float32)
    qa, qw = sp.quantize(a, 0), sp.quantize(np.ascontiguousarray(w, np.float32), 1)
    ra, rw = sp.read_back(qa, 0, 0)[0], sp.read_back(qw, 0, 1)[0]
    full = lambda x, y: np.frombuffer(native._ext.gemm(x, y, sp.accumulator, 1), np.uint32)  # noqa: E731
    ref = full(qa, qw).view(np.float32).reshape(qa.rows, qw.rows)
    assert not native._ext.same_bits(ra, qa)  # faults reached A's data: rows to compute again
    for x, y in ((ra, qw), (qa, qw), (ra, rw)):
        got = native._ext.gemm_update(ref, qa, qw, x, y, sp.accumulator, 1.0)
        if got is None:  # B's faults may cover too many of conv1's 16 columns to be worth it: only (ra, rw)
            assert y is rw
            continue
        want = full(x, y)
        assert np.count_nonzero(want) > want.size // 2
        diff = np.flatnonzero(np.frombuffer(got, np.uint32) != want)
        assert diff.size == 0, f"first differing output {diff[:1]}"
    other = sp.quantize(np.ascontiguousarray(a * 3, np.float32), 0)  # another amax: another tensor scale
    assert native._ext.gemm_update(ref, qa, qw, other, qw, sp.accumulator, 1.0) is None
    # Columns: fc1's weights (64 rows) with bits flipped in rows 5 and 40 (a code byte, a block scale).
    _, _, w1, _ = fm.layer_steps(params, 100)[2]
    qa1 = sp.quantize(np.random.default_rng(3).standard_normal((37, w1.shape[1])).astype(np.float32), 0)
    qw1 = native.Quantized(sp.quantize(np.ascontiguousarray(w1, np.float32), 1))
    codes, scales = qw1.codes.copy(), qw1.scales.copy()
    codes[5, 7] ^= 0x11
    scales[40 * (scales.size // qw1.shape[0])] ^= 0x08
    fw1 = qw1.with_bits(codes, scales).t
    ref1 = np.frombuffer(native._ext.gemm(qa1, qw1.t, sp.accumulator, 1), np.float32).reshape(37, 64)
    got, want = native._ext.gemm_update(ref1, qa1, qw1.t, qa1, fw1, sp.accumulator, 0.5), full(qa1, fw1)
    assert got is not None and np.count_nonzero(want != ref1.view(np.uint32).ravel()) > 0
    assert np.array_equal(np.frombuffer(got, np.uint32), want)


def test_a_layer_whose_faults_change_no_output_bit_continues_from_the_fault_free_network(monkeypatch):
    """Both chunks of the CNN (1000 images): at 1.15 V with full ECC, faults reach a GEMM's read-back operands in one
    place but change none of its output bits, and that output takes the fault-free network's identity, so the layers
    after it reuse the network's stored inputs (kept in accuracy.NETWORK, never evicted). At 1.25 V without ECC a few
    output rows differ: a reuse that did not compare the bits, or an identity that missed a fault, would hand these
    points the fault-free network's later layers and change their records."""
    monkeypatch.setattr(accuracy, "FMNIST_IMAGES", 1000)
    faulted = [point(1.15, "full"), point(1.25, "none")]
    want = [record(p, fresh=True) for p in faulted]
    fault_free = json.loads(record(point(1.8, "none"), fresh=True))  # the network, as a worker's first point makes it
    canonical = 0
    for p, w in zip(faulted, want):
        before = set(accuracy.MEMO)
        assert record(p, fresh=False) == w
        canonical += sum(1 for k, v in list(accuracy.MEMO.items()) if k not in before and k[0] == "gemm" and v[1] != k)
    assert canonical >= 1  # the 1.15 V point's unchanged output was recognised (else this test exercises nothing)
    assert json.loads(want[1])["sqnr_per_layer"] != fault_free["sqnr_per_layer"]  # its faults show in the record


def _im2col_tap_by_tap(x):
    """NumPy oracle: im2col written tap by tap into fresh zeros (no padded copy, no windows)."""
    import numpy as np
    b, h, w, c = x.shape
    cols = np.zeros((b, h, w, 9, c), x.dtype)
    for i in range(3):
        for j in range(3):
            di, dj = i - 1, j - 1  # tap (i, j) reads pixel (y + di, x + dj); outside the image it stays 0 (the pad)
            cols[:, max(0, -di):h - max(0, di), max(0, -dj):w - max(0, dj), 3 * i + j, :] = \
                x[:, max(0, di):h - max(0, -di), max(0, dj):w - max(0, -dj), :]
    return cols.reshape(b * h * w, 9 * c)


def test_im2col_into_a_reused_buffer_equals_a_fresh_one():
    """The chain's im2col (accuracy.IM2COL: one padded copy and one output per shape, never zeroed again, written from
    the 3 x 3 windows in one pass) gives the tap-by-tap oracle's im2col (fresh zeros) bit for bit on its
    second call: the pad stays 0 and every interior place is written again."""
    import numpy as np
    fm = accuracy.fmnist_module()
    rng = np.random.default_rng(5)
    for shape in ((3, 14, 14, 16), (2, 28, 28, 1)):  # conv2's and conv1's inputs
        x1, x2 = (rng.standard_normal(shape).astype(np.float32) for _ in range(2))
        buffers = {}
        first = fm.im2col(x1, buffers)
        second = fm.im2col(x2, buffers)
        assert np.shares_memory(first, second)  # the same array, overwritten
        want = _im2col_tap_by_tap(x2)
        assert np.count_nonzero(want) > want.size // 2
        diff = np.flatnonzero(second.view(np.uint32) != want.view(np.uint32))
        assert diff.size == 0, f"{shape}: first differing element {diff[:1]}"


def test_quantize_groups_equals_quantizing_the_whole_tensor():
    """SimPoint.quantize_groups (a stored tensor with some row groups encoded again, the rows-only inputs of faulted
    points) gives the bits of quantizing the whole changed tensor when it is given the whole tensor's amax (the max of
    the unchanged groups' group_amax and the new rows'), on conv2's real input of 20 images with two images changed;
    the amax of the changed rows alone gives other bits or is refused."""
    import numpy as np
    sp = native.sim_point(evaluate.arch_text(point(1.25, "none")), "t", str(ROOT))
    fm, params = accuracy.fmnist_module(), accuracy.fmnist_params()
    steps = fm.layer_steps(params, 20)
    h = steps[0][3](steps[0][1](fm.load_split("test", 20)[0]) @ steps[0][2].T)
    a = np.ascontiguousarray(steps[1][1](h), np.float32)  # 3920 x 144: 196 rows per image
    amax = sp.group_amax(a, 0, 196)
    changed = sorted(np.argsort(amax)[:2].tolist())  # two images that do not hold the tensor's amax
    x = a.reshape(20, 196, 144)[changed].reshape(-1, 144) * np.float32(0.75)
    new = a.copy()
    new.reshape(20, 196, 144)[changed] = x.reshape(2, 196, 144)
    full = sp.quantize(new, 0)
    tensor_amax = max(max(sp.group_amax(x, 0, 392)), max(v for g, v in enumerate(amax) if g not in changed))
    assert tensor_amax == max(amax) == max(sp.group_amax(new, 0, 3920))
    stored = sp.quantize(a, 0)
    assert not native._ext.same_bits(stored, full)  # the change reaches the stored bits
    assert native._ext.same_bits(sp.quantize_groups(stored, x, changed, 196, tensor_amax, 0), full)
    try:
        wrong = sp.quantize_groups(stored, x, changed, 196, max(sp.group_amax(x, 0, 392)), 0)
    except Exception:  # another tensor scale: refused by the quantizer
        wrong = None
    assert wrong is None or not native._ext.same_bits(wrong, full)


def test_a_faulted_point_computed_from_its_changed_images_equals_the_full_recompute(monkeypatch):
    """At 1.25 V without ECC faults change a few images' outputs of a layer: the next layers' stored inputs are made
    from those images' rows alone (accuracy._stored_from_changed_images) and the record equals the one computed with
    every layer input quantized whole. A tensor amax taken from the changed images alone would give another tensor
    scale (refused, or that path never taken: both fail here)."""
    want = None
    for enabled in (False, True):
        monkeypatch.setitem(accuracy.ROWS_ONLY, "enabled", enabled)
        forget()
        used = accuracy.ROWS_ONLY["used"]
        got = record(point(1.25, "none"), fresh=False)
        if enabled:
            assert accuracy.ROWS_ONLY["used"] - used >= 2, "no layer input was made from its changed images"
            assert got == want
        else:
            assert accuracy.ROWS_ONLY["used"] == used
            want = got


def test_private_points_are_those_sharing_no_operand_signature():
    from nvfp4dse.sharing import private_points
    a, b, c = ("q0", "0.9 V none"), ("q1", "0.9 V none w"), ("q1", "1.0 V none w")
    flags = private_points({"p1": (a, b), "p2": (a, c), "p3": (("q0", "1.8 V"), ("q1", "1.8 V w"))})
    assert flags == {"p1": False, "p2": False, "p3": True}  # p1 and p2 read the same activations' faults


def test_the_signature_tells_points_whose_faults_match(tmp_path):
    """Through the simulator's validation: points differing only in the multiplier style (no fault changes) share
    their faults; points at distinct voltages do not."""
    import nvfp4dse.__main__ as cli_main
    from conftest import write_sweep
    from nvfp4dse.space import load_sweep
    sweep = load_sweep(str(write_sweep(tmp_path / "s.yaml", accuracy="fmnist_cnn", parameters={
        "voltage": [0.9, 1.0], "architecture.array.multiplier": ["mantissa-lut", "full-lut"]})))
    flags = cli_main._check_points(sweep)
    assert len(flags) == 4 and not any(flags.values()), flags
    sweep = load_sweep(str(write_sweep(tmp_path / "t.yaml", accuracy="fmnist_cnn",
                                       parameters={"voltage": [0.9, 1.0], "ecc": ["none", "full"]})))
    flags = cli_main._check_points(sweep)
    assert len(flags) == 4 and all(flags.values()), flags


def test_a_private_point_keeps_none_of_its_faulted_tensors_and_gives_the_same_record():
    p = point(0.9, "none")
    want = record(p, fresh=True)
    forget()
    metrics, _ = evaluate.evaluate_point(p, None, True)
    assert json.dumps(metrics, sort_keys=True) == want
    kept = [k for k in accuracy.MEMO if accuracy._from_faults(k)]
    assert kept and all(k[0] == "read" and k[1][1][2] == "w" for k in kept), kept  # the weights' read-backs only
    forget()
    evaluate.evaluate_point(p)  # not private: its faulted tensors are kept for the points that share them
    assert any(k[0] == "gemm" and accuracy._from_faults(k) for k in accuracy.MEMO)
