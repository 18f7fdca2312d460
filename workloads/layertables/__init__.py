"""Layer tables of reference networks, built from each model's published configuration.

`MODELS` maps a table name to a function returning a `Network`. `python3 -m workloads.layertables --out workloads/tables`
regenerates every CSV (see docs/workloads.md for the format and the convolution lowering).
"""
from .layers import Layer, Network
from .cnn import resnet18, resnet50, mobilenet_v2, efficientnet_lite0, fmnist_cnn
from .transformer import bert_base, minilm_l6, llama32_1b_prefill, llama32_1b_decode

MODELS = {
    "resnet18": resnet18,
    "resnet50": resnet50,
    "mobilenetv2": mobilenet_v2,
    "efficientnet_lite0": efficientnet_lite0,
    "bert_base": bert_base,
    "minilm_l6": minilm_l6,
    "llama32_1b_prefill": llama32_1b_prefill,
    "llama32_1b_decode": llama32_1b_decode,
    "fmnist_cnn": fmnist_cnn,
}

__all__ = ["Layer", "Network", "MODELS"]
