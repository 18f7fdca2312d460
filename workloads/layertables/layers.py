"""One layer of a network and its lowering to GEMM (docs/workloads.md, "Convolution lowering").

A layer is `conv` (dense or grouped/depthwise 2-D convolution), `linear` (y = x W^T, weights N x K) or `matmul`
(activation x activation, e.g. attention scores; no weights). Every layer lowers to `groups` independent GEMMs of
M x N x K; the GEMM-row table folds the groups into M (exact MAC and output counts; see the docs for what that
approximates).
"""
from __future__ import annotations

from dataclasses import dataclass, field


def conv_out(size: int, kernel: int, stride: int, pad: int) -> int:
    return (size + 2 * pad - kernel) // stride + 1


@dataclass(frozen=True)
class Layer:
    name: str
    op: str                 # "conv", "linear", "matmul"
    M: int                  # rows of one GEMM (output pixels for conv, tokens for linear)
    N: int                  # output channels / features of one GEMM
    K: int                  # reduction length of one GEMM
    groups: int = 1         # independent GEMMs of M x N x K (depthwise channels, attention heads)
    weights: int = 0        # weight parameters (0 for matmul)
    bias: int = 0           # bias parameters
    conv: dict = field(default_factory=dict, compare=False)  # H, W, C_in, C_out, kh, kw, stride, pad, H_out, W_out

    @property
    def macs(self) -> int:
        return self.groups * self.M * self.N * self.K

    @property
    def params(self) -> int:
        return self.weights + self.bias

    def gemm_row(self) -> tuple[str, int, int, int]:
        """(name, M, N, K) with the groups folded into M."""
        return (self.name, self.groups * self.M, self.N, self.K)


def conv2d(name: str, h: int, w: int, c_in: int, c_out: int, k: int, stride: int = 1, pad: int | None = None,
           groups: int = 1, bias: bool = False) -> Layer:
    """Batch-1 convolution lowered by im2col: M = H_out*W_out, N = C_out/groups, K = (C_in/groups)*k*k."""
    if pad is None:
        pad = k // 2
    if c_in % groups or c_out % groups:
        raise ValueError(f"{name}: channels {c_in}->{c_out} not divisible by groups {groups}")
    ho, wo = conv_out(h, k, stride, pad), conv_out(w, k, stride, pad)
    n, kk = c_out // groups, (c_in // groups) * k * k
    geometry = dict(H=h, W=w, C_in=c_in, C_out=c_out, kh=k, kw=k, stride=stride, pad=pad, H_out=ho, W_out=wo)
    return Layer(name, "conv", ho * wo, n, kk, groups, weights=groups * n * kk, bias=c_out if bias else 0,
                 conv=geometry)


def linear(name: str, tokens: int, n_out: int, k_in: int, bias: bool = True) -> Layer:
    return Layer(name, "linear", tokens, n_out, k_in, 1, weights=n_out * k_in, bias=n_out if bias else 0)


def matmul(name: str, m: int, n: int, k: int, groups: int = 1) -> Layer:
    return Layer(name, "matmul", m, n, k, groups)


@dataclass
class Network:
    name: str
    source: str                 # where the configuration comes from
    input_desc: str             # e.g. "batch 1, 3 x 224 x 224"
    layers: list[Layer] = field(default_factory=list)
    other_params: int = 0       # parameters outside GEMMs: embeddings, norms, batch-norm affine
    published_params: int = 0   # the parameter count the source states (checked by tests)
    published_gmacs: float = 0  # the MAC count the source states, in GMAC (0 when the source gives none)

    def add(self, layer: Layer) -> Layer:
        self.layers.append(layer)
        return layer

    @property
    def macs(self) -> int:
        return sum(l.macs for l in self.layers)

    @property
    def params(self) -> int:
        return sum(l.params for l in self.layers) + self.other_params
