"""Accuracy side of a design point: real layer tensors stored, read back and multiplied exactly as the simulator
does, compared with the simulator's float reference.

Tensor sets (workloads/tensors/<set>/manifest.json lists layers with an activation A (M x K) and a weight W (N x K)):
  minilm_l6, efficientnet_lite0: per-layer output SQNR of gemm(read(A), read(W)) against the float A W^T;
  fmnist_cnn: the project's Fashion-MNIST CNN end to end (test accuracy on the first FMNIST_IMAGES test images, in
              chunks of 500), plus the per-layer SQNR of its four GEMMs on the first chunk.
The chain is the simulator's (nvfp4_native.SimPoint over sim/faults/operand_faults.cpp): operand 0 (activations) is
quantized with the point's activation spec, operand 1 (weights) with its weight spec, each is read back from its code
bank and the scales bank through ecc/'s injector (layout, SECDED, p(V) of architecture.sram_technology) seeded by
fault_seed(run.fault_seed, layer index, operand), so the fault counts of a layer equal those of `nvfp4sim run` on the
same tensors (tests/scripts/test_point.py). Layer index = position in the manifest (fmnist: conv1 0 ... fc2 3, as in
workloads/tables/fmnist_cnn.csv); every fmnist chunk is the same stored layer, read through the same failing cells.
The GEMM is the simulator's (nvfp4::gemm with the point's accumulator, one thread: bit-exact and the same on every
worker); the SQNR is the simulator's (sim::sqnr: non-finite outputs left out and counted in nonfinite_outputs); the
float reference is the simulator's (sim::float_gemm, one-thread sgemm). The multiplier style changes no number.

Work shared between points is reused within a worker process (issue 14; docs/dse.md, "Reuse"). Every tensor of the chain
has an identity: a fixed tensor its name, a stored tensor (its input's identity, the simulator's quantize key), a
read-back tensor the stored tensor's identity when it came back with the same bits (no fault reached the data) and
(stored identity, read-back key) otherwise (what determines its bits), a GEMM output the identities of its two read-back
operands and the accumulator, or the fault-free network's output's identity when it has the same bits (faults that
change no output bit). The keys of what the simulator computes come from the simulator (SimPoint.quantize_key,
SimPoint.read_back_key: the same fault map at the same voltage). So a point whose faults leave a layer's operands
unchanged reuses the layer's stored input, its GEMM and everything after it that another point already computed; only
the layers its faults reach are computed again.
"""
from __future__ import annotations

import json
from collections import OrderedDict
from functools import lru_cache

import numpy as np

from .paths import ROOT

TENSORS = ROOT / "workloads" / "tensors"
TENSOR_SETS = ("minilm_l6", "efficientnet_lite0", "fmnist_cnn")
FMNIST_IMAGES = 1000
FIELDS = ("bits_stored", "raw_bit_errors", "corrected_bits", "due_bits", "silent_bit_errors")


class MissingTensors(Exception):
    pass


@lru_cache(maxsize=4)
def load_set(name: str) -> list[tuple[str, np.ndarray, np.ndarray]]:
    manifest = TENSORS / name / "manifest.json"
    if not manifest.exists():
        raise MissingTensors(f"tensor set '{name}' not found ({manifest}); see docs/workloads.md to export it")
    layers = json.loads(manifest.read_text())["layers"]
    return [(l["name"], np.load(TENSORS / name / l["act"]), np.load(TENSORS / name / l["weight"])) for l in layers]


def sqnr_db(ref: np.ndarray, out: np.ndarray) -> float:
    out = np.nan_to_num(out, nan=0.0, posinf=0.0, neginf=0.0)
    err = float(np.sum((ref - out) ** 2))
    sig = float(np.sum(ref ** 2))
    return 200.0 if err == 0 else float(10 * np.log10(sig / err)) if sig > 0 else -200.0


def _nbytes(value) -> int:
    if isinstance(value, tuple):  # a cached value's tuples hold arrays at the top level only (identities: 64 B each)
        return sum(64 if isinstance(v, tuple) else _nbytes(v) for v in value)
    if isinstance(value, np.ndarray):
        return value.nbytes
    if hasattr(value, "row_stride_bytes"):  # a QuantizedTensor: its codes (the scales are a fraction of them)
        return value.rows * value.row_stride_bytes()
    return 64


class _Lru(OrderedDict):
    """Least-recently-used cache bounded by the bytes of the arrays it holds."""

    def __init__(self, max_bytes: int):
        super().__init__()
        self.max_bytes, self.bytes = max_bytes, 0
        self.hits = self.misses = 0

    def get_or(self, key, make):
        if key in self:
            self.move_to_end(key)
            self.hits += 1
            return self[key]
        self.misses += 1
        value = self[key] = make()
        self.bytes += _nbytes(value)
        while self.bytes > self.max_bytes and len(self) > 1:
            _, old = self.popitem(last=False)
            self.bytes -= _nbytes(old)
        return value


# Per worker process: the fault-free network's tensors (prepare(): stored inputs, GEMM outputs, float references;
# ~126 MB for the CNN's 1000 images), never evicted. A point whose faults leave a layer's operands or its output bits
# unchanged continues from them. In the bounded MEMO, the faulted points' outputs (which hardly any other point reads)
# pushed them out, and points of the default study at 1.15-1.45 V computed the later layers again.
NETWORK = _Lru(1 << 62)
# Per worker process: everything else points may share, by identity (docs/dse.md, "Reuse"). A larger bound keeps
# faulted points' outputs that no other point reads and grows each worker's heap, its first touch of every page
# costing system time (at 768 MB, 1.15 GB instead of 0.6 GB and ~1 s per worker; docs/BENCHMARKS.md, dse, fourth and
# fifth sessions).
MEMO = _Lru(128 << 20)
# Per worker process: each GEMM of the fault-free network (read-back operands, output) by its place in the network
# (slot, quantize keys, accumulator): a faulted point's GEMM is computed from it again only where its operand rows
# differ (nvfp4::gemm_update_into, the same bits).
REFERENCES = _Lru(256 << 20)
# Per worker process: the CNN's im2col outputs, one array per shape reused by every point and chunk (a layer's float
# input is used only while that layer is computed: quantized, and on chunk 0 multiplied for the float reference).
# Fresh arrays cost a zero fill and the first touch of their pages in every process (the conv2 input is 56 MB).
IM2COL: dict = {}
# Per worker process: each image's amax of the fault-free network's layer inputs after the first (by the key of its
# REFERENCES entry): a faulted point whose previous layer changed a few images' outputs quantizes only their rows.
GROUP_AMAX: dict = {}
# A faulted GEMM is updated from the fault-free one while at most this share of its operand rows differ, and a later
# layer's stored input is made from the changed images' rows alone while at most this share of the images changed
# (above it, the full GEMM or quantization costs about the same).
UPDATE_MAX_FRACTION = 0.5
# The rows-only stored inputs (_stored_from_changed_images): on, and how many were made (the tests read it).
ROWS_ONLY = {"enabled": True, "used": 0}


class Chain:
    """One design point's store-and-read-back path (nvfp4_native.SimPoint) with its fault counts, and the simulator's
    GEMM (the golden nvfp4::gemm with the point's accumulator) and SQNR, each step reused by identity (NETWORK,
    MEMO)."""

    def __init__(self, sim_point, fault_free: bool = False, private: bool = False):
        self.sp = sim_point
        self.quantize_key = (sim_point.quantize_key(0), sim_point.quantize_key(1))
        self.counts = dict.fromkeys(FIELDS, 0)
        self.nonfinite = 0
        self.fault_free = fault_free  # operands read back as stored (the reference network of REFERENCES)
        self.private = private  # no other point of the run reads this point's faulted tensors (sharing.py)

    def memo(self, key, make, keep: bool | None = None):
        """make() reused by identity: from the fault-free network (NETWORK) when it has it, else from MEMO; what the
        fault-free network computes is kept in NETWORK. A private point keeps in MEMO only what its faults did not
        make (keys without a faulted read-back in them) unless `keep` says otherwise."""
        if self.fault_free or key in NETWORK:
            return NETWORK.get_or(key, make)
        if keep is None:
            keep = not self.private or not _from_faults(key)
        return MEMO.get_or(key, make) if keep or key in MEMO else make()

    def read(self, x, ident, layer: int, operand: int, stored=None):
        """(read-back tensor, its identity): x (float32 rows x K, or a function giving it: called only when the
        stored tensor is not known yet) stored as operand `operand` of layer `layer`; ident = x's identity. stored:
        a function giving the stored tensor (the same bits) without x, or None where it cannot (then x is quantized)."""
        from . import native
        qid = ("stored", ident, self.quantize_key[operand])

        def quantize():
            q = stored() if stored is not None and not self.fault_free else None
            return q if q is not None else self.sp.quantize(np.ascontiguousarray(x() if callable(x) else x,
                                                                                 np.float32), operand)

        q = self.memo(qid, quantize)
        if self.fault_free:  # what a point whose faults reach none of the operand's bits reads
            return q, qid

        rkey = ("read", qid, self.sp.read_back_key(layer, operand))

        def read_back():  # the identity: the stored tensor's when no fault reached the data, else the key itself
            r, counts = self.sp.read_back(q, layer, operand)
            return r, counts, (qid if native._ext.same_bits(r, q) else rkey)

        # A private point still keeps its weights' read-backs: it reads them again for every image chunk.
        r, counts, rid = self.memo(rkey, read_back, keep=not self.private or operand == 1)
        for k in FIELDS:
            self.counts[k] += counts[k]
        return r, rid

    def gemm(self, layer: int, a, a_id, w, w_id, slot=None, stored_a=None):
        """(output, its identity): the layer's output as the simulator computes it, nvfp4::gemm of the read-back
        operands (bit-exact, one thread, the point's accumulator), float32 M x N, read-only. slot: the GEMM's place in
        the network (the same for every point); with it, the fault-free network's GEMM there is the reference a
        faulted one is updated from. stored_a: see read()."""
        from . import native
        (ra, ra_id), (rw, rw_id) = self.read(a, a_id, layer, 0, stored_a), self.read(w, w_id, layer, 1)
        acc = self.sp.accumulator
        did = ("gemm", ra_id, rw_id, acc)
        ref_key = self.reference_key(slot)

        def compute():  # (output, its identity)
            ref = REFERENCES.get(ref_key) if slot is not None and not self.fault_free else None
            raw = native._ext.gemm_update(ref[2], ref[0], ref[1], ra, rw, acc, UPDATE_MAX_FRACTION) if ref else None
            if raw is None:
                raw = native._ext.gemm(ra, rw, acc, 1)
            if ref and raw == _bits(ref[2]):  # faults that change no output bit: the fault-free output's identity
                return ref[2], ref[3]
            d = np.frombuffer(raw, np.float32).reshape(ra.rows, rw.rows)
            d.flags.writeable = False
            return d, did

        d, out_id = self.memo(did, compute)
        if self.fault_free and slot is not None:
            REFERENCES.get_or(ref_key, lambda: (ra, rw, d, out_id))
        return d, out_id

    def reference_key(self, slot):
        """The key of the fault-free network's GEMM at `slot` (REFERENCES, GROUP_AMAX)."""
        return ("reference", slot, self.quantize_key, self.sp.accumulator)

    def sqnr(self, out: np.ndarray, out_id, a, a_id, w, w_id) -> float:
        """The simulator's output SQNR against its float reference of the same float input (non-finite outputs left
        out and counted). The reference depends on the float operands alone (a_id, w_id): points whose faults change
        this layer's output but not its float input (every point's first layer) share it."""
        from . import native

        def compute():
            ref = self.memo(("float_ref", a_id, w_id), lambda: float_reference(a() if callable(a) else a, w))
            return native._ext.sim_sqnr(ref, out)

        db, nonfinite = self.memo(("sqnr", out_id, a_id), compute)
        self.nonfinite += nonfinite
        return db

    def fault_metrics(self) -> dict:
        return {**{f"fault_{k}": v for k, v in self.counts.items()}, "nonfinite_outputs": self.nonfinite}


def _from_faults(key) -> bool:
    """Whether an identity holds a faulted read-back's (("read", stored identity, read-back key): a read-back whose
    bits faults changed), i.e. the tensor it names was made from this point's faults."""
    return isinstance(key, tuple) and bool(key) and (key[0] == "read" or any(_from_faults(k) for k in key))


def float_reference(a: np.ndarray, w: np.ndarray) -> np.ndarray:
    """The simulator's float reference A W^T (float32, one-thread sgemm: the same on every worker)."""
    from . import native
    a, w = np.ascontiguousarray(a, np.float32), np.ascontiguousarray(w, np.float32)
    return np.frombuffer(native._ext.sim_float_gemm(a, w), np.float32).reshape(a.shape[0], w.shape[0])


def evaluate(point: dict, sim_point, private: bool = False) -> dict:
    """Accuracy metrics of a point; sim_point = nvfp4_native.SimPoint of its architecture; private: see Chain."""
    name = point["accuracy"]
    if name == "none":
        return {}
    chain = Chain(sim_point, private=private)
    if name == "fmnist_cnn":
        prepare(name, sim_point)
        return {**_fmnist(chain), **chain.fault_metrics()}
    per_layer = {}
    for i, (layer, a, w) in enumerate(load_set(name)):
        a_id, w_id = (name, layer, "a"), (name, layer, "w")
        out, out_id = chain.gemm(i, a, a_id, w, w_id)
        per_layer[layer] = chain.sqnr(out, out_id, a, a_id, w, w_id)
    vals = np.array(list(per_layer.values()))
    return {"sqnr_mean_db": float(vals.mean()), "sqnr_min_db": float(vals.min()), "accuracy": float(vals.mean()),
            "accuracy_metric": "mean layer output SQNR (dB)", "sqnr_per_layer": per_layer, **chain.fault_metrics()}


def prepare(name: str, sim_point) -> None:
    """What a faulted point of the CNN starts from, computed once per process: the fault-free network, whose GEMMs are
    the references faulted GEMMs are updated from (REFERENCES) and whose stored tensors, outputs and float references
    every point whose faults miss an operand reuses (NETWORK). A local run computes it before forking its workers
    (warm_up.py), so they inherit it."""
    if name != "fmnist_cnn" or not sim_point.faults:
        return
    chain = Chain(sim_point, fault_free=True)
    if ("reference", ("fmnist_cnn", 0, 0), chain.quantize_key, sim_point.accumulator) not in REFERENCES:
        _fmnist(chain)


def fmnist_module():
    try:
        from workloads.realtensors import fmnist_cnn
    except ImportError:
        import sys
        sys.path.insert(0, str(ROOT))
        from workloads.realtensors import fmnist_cnn
    if not (fmnist_cnn.OUT / "weights.npz").exists():
        raise MissingTensors("fmnist_cnn weights missing: python3 -m workloads.realtensors.fmnist_cnn train")
    return fmnist_cnn


def _fmnist(chain: Chain) -> dict:
    """The CNN on the first FMNIST_IMAGES test images in chunks of 500, layer by layer (fmnist_cnn.layer_steps): each
    layer's input is stored, read back and multiplied through the chain; a layer's float input is computed only when
    its stored form is not already known for the identity of the previous layer's output."""
    fmnist_cnn = fmnist_module()
    params = fmnist_params()
    x, y = fmnist_cnn.load_split("test", FMNIST_IMAGES)
    per_layer, correct = {}, 0
    for chunk, c0 in enumerate(range(0, len(x), 500)):
        h = lambda xb=x[c0:c0 + 500]: xb  # noqa: E731  the current layer's input activation, made on demand
        h_id = ("fmnist_cnn", "images", chunk)
        steps = fmnist_cnn.layer_steps(params, len(x[c0:c0 + 500]), buffers=IM2COL)
        previous = None  # the previous layer's (output, slot)
        for i, (layer, input_of, w, output_of) in enumerate(steps):
            a = _once(lambda h=h, input_of=input_of: np.ascontiguousarray(input_of(h()), np.float32))
            a_id = (h_id, layer)
            w_id = ("fmnist_cnn", layer, "w")
            slot = ("fmnist_cnn", chunk, i)
            rows_only = previous and (lambda i=i, previous=previous, slot=slot:
                                      _stored_from_changed_images(chain, params, i, *previous, slot))
            out, out_id = chain.gemm(i, a, a_id, w, w_id, slot=slot, stored_a=rows_only)
            if chain.fault_free and i > 0:  # each image's amax of the input: what a faulted point's changes meet
                images = len(x[c0:c0 + 500])
                GROUP_AMAX[chain.reference_key(slot)] = chain.sp.group_amax(a(), 0, a().shape[0] // images)
            if chunk == 0:  # SQNR against the float GEMM of the same (read-back-fed) inputs
                per_layer[layer] = chain.sqnr(out, out_id, a, a_id, w, w_id)
            h = _once(lambda out=out, output_of=output_of: output_of(_finite_or_zero(out)))
            h_id = out_id
            previous = (out, slot)
        correct += int((h().argmax(1) == y[c0:c0 + 500]).sum())
    vals = np.array(list(per_layer.values()))
    return {"accuracy": correct / len(x), "accuracy_metric": "Fashion-MNIST test accuracy",
            "sqnr_mean_db": float(vals.mean()), "sqnr_min_db": float(vals.min()), "sqnr_per_layer": per_layer}


def _stored_from_changed_images(chain: Chain, params: dict, i: int, out: np.ndarray, out_slot, slot):
    """Layer i's stored input (activations) from the previous layer's output `out` where only some images' rows differ
    from the fault-free network's (faults in a few rows, e.g. at 1.1-1.25 V): the float input of those images alone
    (the network's steps on them: ReLU, pooling, im2col, flattening never mix images), encoded by the quantizer into a
    copy of the fault-free stored input (SimPoint.quantize_groups) with the whole new tensor's amax: the max of the
    fault-free input's other images' amax (GROUP_AMAX) and the changed images'. The same bits as quantizing the whole
    new input, while that amax equals the fault-free one (the same tensor scale); None otherwise (another tensor
    scale re-encodes every row), when more than UPDATE_MAX_FRACTION of the images changed, or without a reference."""
    ref, out_ref = REFERENCES.get(chain.reference_key(slot)), REFERENCES.get(chain.reference_key(out_slot))
    amax = GROUP_AMAX.get(chain.reference_key(slot))
    if not ROWS_ONLY["enabled"] or ref is None or out_ref is None or amax is None:
        return None
    images = len(amax)
    new, old = out.view(np.uint32).reshape(images, -1), out_ref[2].view(np.uint32).reshape(images, -1)
    sample = slice(None, None, 8)  # a cheap look first: most images differ at low voltage without ECC
    if np.count_nonzero((new[sample] != old[sample]).any(axis=1)) > UPDATE_MAX_FRACTION * len(new[sample]):
        return None
    changed = np.flatnonzero((new != old).any(axis=1))
    if changed.size == 0 or changed.size > UPDATE_MAX_FRACTION * images:
        return None
    steps = fmnist_module().layer_steps(params, changed.size)
    z = out.reshape(images, -1)[changed].reshape(-1, out.shape[1])
    x = np.ascontiguousarray(steps[i][1](steps[i - 1][3](_finite_or_zero(z))), np.float32)
    group_rows = x.shape[0] // changed.size
    if group_rows * images != ref[0].rows:
        return None
    unchanged = np.delete(np.asarray(amax, np.float32), changed)
    tensor_amax = max(max(chain.sp.group_amax(x, 0, x.shape[0])), float(unchanged.max()) if unchanged.size else 0.0)
    if tensor_amax != max(amax):
        return None
    q = chain.sp.quantize_groups(ref[0], x, changed.tolist(), group_rows, tensor_amax, 0)
    ROWS_ONLY["used"] += q is not None
    return q


def _bits(d: np.ndarray) -> bytes:
    """The bytes of a GEMM output (the bytes object it views, no copy, when it is one: np.frombuffer(...).reshape
    views it through the flat array)."""
    base = d.base
    while isinstance(base, np.ndarray):
        base = base.base
    return base if isinstance(base, bytes) and len(base) == d.nbytes and d.flags.c_contiguous else d.tobytes()


def _finite_or_zero(out: np.ndarray) -> np.ndarray:
    """The network reads non-finite outputs (a block scale faulted into NaN) as 0; most outputs have none, and then
    the output itself is the answer (no copy)."""
    if np.isfinite(out.min()) and np.isfinite(out.max()):  # NaN propagates through both; +-Inf is one of them
        return out
    finite = np.isfinite(out)
    clean = out.copy()  # NaN and +-Inf made +0.0, as nan_to_num(nan=0, posinf=0, neginf=0) does, from the one mask
    clean[~finite] = 0.0
    return clean


def _once(make):
    """make() computed on the first call only."""
    box = []
    return lambda: box[0] if box else (box.append(make()), box[0])[1]


@lru_cache(maxsize=1)
def fmnist_params():
    return fmnist_module().load_params()


# Fault-free quantization for the studies (docs/studies): deq(Q(A)) deq(Q(W))^T in float64 with any scheme pair, as the
# studies have always computed it. No SRAM, no faults: a sweep point goes through Chain instead.
def fake_quant_gemm(a: np.ndarray, w: np.ndarray, act: str, weight: str, block: int) -> np.ndarray:
    from . import native
    blk = lambda s: block if s in ("nvfp4", "mxfp4") else None  # noqa: E731
    da = native.dequantize(native.quantize(a, act, block=blk(act)))
    dw = native.dequantize(native.quantize(w, weight, block=blk(weight)))
    return (da.astype(np.float64) @ dw.astype(np.float64).T).astype(np.float32)


def fake_quant_layer_sqnr(layers, act: str, weight: str, block: int) -> dict:
    return {name: sqnr_db(a.astype(np.float64) @ w.astype(np.float64).T, fake_quant_gemm(a, w, act, weight, block))
            for name, a, w in layers}


def fake_quant_fmnist(act: str, weight: str, block: int) -> float:
    return fmnist_module().accuracy(fmnist_params(), lambda _, a, w: fake_quant_gemm(a, w, act, weight, block),
                                    n=FMNIST_IMAGES)
