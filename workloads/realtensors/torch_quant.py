"""Fake quantization of a PyTorch model's GEMM layers with the project's C++ quantizers (nvfp4dse.native; exporters
only: needs torch, see workloads/requirements-export.txt).

Each nn.Linear / nn.Conv2d gets a forward pre-hook that replaces its input and weight by their quantize-dequantize
images. Blocks run along the reduction dimension as the hardware stores tensors: activations channels-last (blocks
along channels at each pixel, which for a dense convolution are the contiguous im2col columns), weights as
(C_out, kh, kw, C_in/groups) flattened (depthwise: blocks along the k x k taps). The GEMMs themselves run in fp32
(the quantization error dominates; the bit-exact block-scaled GEMM is the numerics core's job).
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
from nvfp4dse.native import fake_quant  # noqa: E402

WEIGHT_SCHEMES = {"fp4": None, "fp8": "fp8", "fp16": "fp16"}


def _fq2d(x2d: np.ndarray, scheme: str, block: int | None) -> np.ndarray:
    return fake_quant(np.ascontiguousarray(x2d, dtype=np.float32), scheme, block)


def fq_activation(x: torch.Tensor, scheme: str, block: int | None) -> torch.Tensor:
    """One sample at a time (batch-1 inference): the per-tensor scale of one input must not depend on which other
    inputs share its batch, else the figures change with the evaluation's chunk size."""
    a = x.detach().cpu().numpy().astype(np.float32)
    q = np.empty_like(a)
    for n in range(a.shape[0]):
        s = a[n]
        if s.ndim == 3:  # C H W -> H W C, blocks along C
            hwc = s.transpose(1, 2, 0)
            q[n] = _fq2d(hwc.reshape(-1, hwc.shape[-1]), scheme, block).reshape(hwc.shape).transpose(2, 0, 1)
        else:
            q[n] = _fq2d(s.reshape(-1, s.shape[-1]), scheme, block).reshape(s.shape)
    return torch.from_numpy(q).to(x.dtype)


def fq_weight(w: torch.Tensor, scheme: str, block: int | None) -> torch.Tensor:
    a = w.detach().cpu().numpy().astype(np.float32)
    if a.ndim == 4:  # C_out C_in/g kh kw -> C_out kh kw C_in/g
        t = a.transpose(0, 2, 3, 1)
        q = _fq2d(t.reshape(t.shape[0], -1), scheme, block).reshape(t.shape).transpose(0, 3, 1, 2)
    else:
        q = _fq2d(a, scheme, block)
    return torch.from_numpy(np.ascontiguousarray(q)).to(w.dtype)


class FakeQuant:
    """Context manager: quantize the inputs and weights of the selected layers.

    act / weight: scheme names of the numerics core ("nvfp4", "mxfp4", "fp4", "fp8", "fp16") or None to keep float.
    select(name) -> bool picks the layers (default: every Linear and Conv2d).
    """

    def __init__(self, model: torch.nn.Module, act: str | None, weight: str | None, block: int | None = None,
                 select=lambda name: True, weight_block: int | None = None):
        self.model, self.act, self.weight, self.block = model, act, weight, block
        self.weight_block = weight_block if weight_block is not None else block
        self.select = select
        self.saved, self.handles = {}, []

    def __enter__(self):
        for name, mod in self.model.named_modules():
            if isinstance(mod, (torch.nn.Linear, torch.nn.Conv2d)) and self.select(name):
                if self.weight:
                    self.saved[name] = mod.weight.data.clone()
                    mod.weight.data = fq_weight(mod.weight.data, self.weight, self.weight_block)
                if self.act:
                    self.handles.append(mod.register_forward_pre_hook(
                        lambda m, inp: (fq_activation(inp[0], self.act, self.block),) + tuple(inp[1:])))
        return self

    def __exit__(self, *exc):
        for h in self.handles:
            h.remove()
        mods = dict(self.model.named_modules())
        for name, w in self.saved.items():
            mods[name].weight.data = w
