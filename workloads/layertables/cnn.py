"""CNN layer tables (batch 1, 3 x 224 x 224 input), from the published architectures:
ResNet-18/50 (He et al. 2016; torchvision v1.5 layout, stride on the 3x3), MobileNetV2 (Sandler et al. 2018, table 2;
torchvision layout) and EfficientNet-Lite0 (TensorFlow TPU repository `efficientnet/lite`: B0 blocks without
squeeze-excitation, ReLU6, stem and head fixed at 32 and 1280 channels).
Batch-norm layers are folded into `other_params` (2 x channels: scale and shift), as torchvision counts them.
"""
from __future__ import annotations

from .layers import Network, conv2d, linear


class _Tracker:
    """Builds a network while following the spatial size through the layers."""

    def __init__(self, net: Network, size: int):
        self.net, self.size = net, size

    def conv(self, name, c_in, c_out, k, stride=1, groups=1, bn=True, pad=None):
        layer = self.net.add(conv2d(name, self.size, self.size, c_in, c_out, k, stride, pad, groups))
        if bn:
            self.net.other_params += 2 * c_out
        return layer

    def advance(self, layer):
        self.size = layer.conv["H_out"]


def _resnet(name: str, block: str, depths: list[int], published_params: int, published_gmacs: float) -> Network:
    net = Network(name, "He et al. 2016, torchvision resnet (v1.5)", "batch 1, 3 x 224 x 224",
                  published_params=published_params, published_gmacs=published_gmacs)
    t = _Tracker(net, 224)
    t.advance(t.conv("conv1", 3, 64, 7, 2, pad=3))
    t.size = (t.size + 2 - 3) // 2 + 1  # max pool 3x3, stride 2, pad 1: 112 -> 56
    c_in = 64
    for stage, (width, depth) in enumerate(zip([64, 128, 256, 512], depths), start=1):
        for b in range(depth):
            stride = 2 if (b == 0 and stage > 1) else 1
            p = f"layer{stage}.{b}"
            size_in = t.size
            if block == "basic":
                c_out = width
                t.advance(t.conv(f"{p}.conv1", c_in, width, 3, stride))
                t.conv(f"{p}.conv2", width, width, 3)
            else:
                c_out = 4 * width
                t.conv(f"{p}.conv1", c_in, width, 1)
                t.advance(t.conv(f"{p}.conv2", width, width, 3, stride))
                t.conv(f"{p}.conv3", width, c_out, 1)
            if stride != 1 or c_in != c_out:
                keep, t.size = t.size, size_in
                t.conv(f"{p}.downsample", c_in, c_out, 1, stride, pad=0)
                t.size = keep
            c_in = c_out
    net.add(linear("fc", 1, 1000, c_in))
    return net


def resnet18() -> Network:
    return _resnet("resnet18", "basic", [2, 2, 2, 2], 11_689_512, 1.814)


def resnet50() -> Network:
    return _resnet("resnet50", "bottleneck", [3, 4, 6, 3], 25_557_032, 4.089)


def _inverted_residuals(t: _Tracker, blocks, c_in: int):
    """MBConv blocks (expand 1x1, depthwise kxk, project 1x1), each conv followed by batch norm.
    blocks: (kernel, stride of the first repeat, expansion, c_out, repeats)."""
    idx = 0
    for k, s, e, c_out, n in blocks:
        for r in range(n):
            stride = s if r == 0 else 1
            hidden = c_in * e
            p = f"blocks.{idx}"
            if e != 1:
                t.conv(f"{p}.expand", c_in, hidden, 1)
            t.advance(t.conv(f"{p}.dw", hidden, hidden, k, stride, groups=hidden))
            t.conv(f"{p}.project", hidden, c_out, 1)
            c_in, idx = c_out, idx + 1
    return c_in


def mobilenet_v2() -> Network:
    net = Network("mobilenetv2", "Sandler et al. 2018 table 2, torchvision mobilenet_v2 (width 1.0)",
                  "batch 1, 3 x 224 x 224", published_params=3_504_872, published_gmacs=0.301)
    t = _Tracker(net, 224)
    t.advance(t.conv("stem", 3, 32, 3, 2))
    # (t, c, n, s) of the paper, as (kernel, stride, expansion, c_out, repeats)
    blocks = [(3, 1, 1, 16, 1), (3, 2, 6, 24, 2), (3, 2, 6, 32, 3), (3, 2, 6, 64, 4), (3, 1, 6, 96, 3),
              (3, 2, 6, 160, 3), (3, 1, 6, 320, 1)]
    c = _inverted_residuals(t, blocks, 32)
    t.conv("head", c, 1280, 1)
    net.add(linear("classifier", 1, 1000, 1280))
    return net


def efficientnet_lite0() -> Network:
    net = Network("efficientnet_lite0", "TensorFlow TPU efficientnet/lite (B0 blocks, no SE, ReLU6, fixed stem/head)",
                  "batch 1, 3 x 224 x 224", published_params=4_652_008, published_gmacs=0.385)
    t = _Tracker(net, 224)
    t.advance(t.conv("stem", 3, 32, 3, 2))
    blocks = [(3, 1, 1, 16, 1), (3, 2, 6, 24, 2), (5, 2, 6, 40, 2), (3, 2, 6, 80, 3), (5, 1, 6, 112, 3),
              (5, 2, 6, 192, 4), (3, 1, 6, 320, 1)]
    c = _inverted_residuals(t, blocks, 32)
    t.conv("head", c, 1280, 1)
    net.add(linear("fc", 1, 1000, 1280))
    return net


def fmnist_cnn() -> Network:
    """The project's own Fashion-MNIST CNN (workloads/realtensors/fmnist_cnn.py), batch 1, 1 x 28 x 28."""
    net = Network("fmnist_cnn", "this project: workloads/realtensors/fmnist_cnn.py", "batch 1, 1 x 28 x 28",
                  published_params=16 * 9 + 16 + 32 * 144 + 32 + 64 * 1568 + 64 + 10 * 64 + 10)
    net.add(conv2d("conv1", 28, 28, 1, 16, 3, bias=True))
    net.add(conv2d("conv2", 14, 14, 16, 32, 3, bias=True))
    net.add(linear("fc1", 1, 64, 1568))
    net.add(linear("fc2", 1, 10, 64))
    return net
