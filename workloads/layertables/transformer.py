"""Transformer layer tables from the models' published configurations (config.json of the released checkpoints):
BERT-base (uncased: L 12, H 768, A 12, FF 3072, vocab 30522), all-MiniLM-L6-v2 (L 6, H 384, A 12, FF 1536,
vocab 30522) and Llama-3.2-1B (L 16, H 2048, 32 query / 8 key-value heads of 64, FF 8192 SwiGLU, vocab 128256, tied
embeddings). Attention score and context products are `matmul` rows (activation x activation), one group per head.
"""
from __future__ import annotations

from .layers import Network, linear, matmul


def _bert(name: str, layers: int, hidden: int, heads: int, ff: int, seq: int, published_params: int,
          pooler_as_layer: bool, source: str) -> Network:
    vocab, max_pos, types = 30522, 512, 2
    net = Network(name, source, f"batch 1, {seq} tokens", published_params=published_params)
    # word + position + token-type embeddings and their layer norm
    net.other_params += (vocab + max_pos + types) * hidden + 2 * hidden
    hd = hidden // heads
    for i in range(layers):
        p = f"layer{i}"
        for proj in ("q", "k", "v"):
            net.add(linear(f"{p}.attn.{proj}", seq, hidden, hidden))
        net.add(matmul(f"{p}.attn.scores", seq, seq, hd, groups=heads))
        net.add(matmul(f"{p}.attn.context", seq, hd, seq, groups=heads))
        net.add(linear(f"{p}.attn.o", seq, hidden, hidden))
        net.add(linear(f"{p}.ffn.up", seq, ff, hidden))
        net.add(linear(f"{p}.ffn.down", seq, hidden, ff))
        net.other_params += 2 * 2 * hidden  # two layer norms
    if pooler_as_layer:
        net.add(linear("pooler", 1, hidden, hidden))
    else:
        net.other_params += hidden * hidden + hidden  # checkpoint carries the pooler; sentence embeddings do not use it
    return net


def bert_base(seq: int = 128) -> Network:
    return _bert("bert_base", 12, 768, 12, 3072, seq, 109_482_240, True,
                 "Devlin et al. 2019; bert-base-uncased config.json")


def minilm_l6(seq: int = 128) -> Network:
    return _bert("minilm_l6", 6, 384, 12, 1536, seq, 22_713_216, False,
                 "sentence-transformers/all-MiniLM-L6-v2 config.json (mean pooling; pooler unused)")


_LLAMA = dict(layers=16, hidden=2048, heads=32, kv_heads=8, head_dim=64, ff=8192, vocab=128256)


def _llama(name: str, tokens: int, context: int) -> Network:
    c = _LLAMA
    net = Network(name, "meta-llama/Llama-3.2-1B config.json (tied embeddings)",
                  f"batch 1, {tokens} new tokens, context {context}", published_params=1_235_814_400)
    h, kv = c["hidden"], c["kv_heads"] * c["head_dim"]
    net.other_params += c["vocab"] * h  # embedding table, shared with lm_head (tied), counted once here
    for i in range(c["layers"]):
        p = f"layer{i}"
        net.add(linear(f"{p}.attn.q", tokens, h, h, bias=False))
        net.add(linear(f"{p}.attn.k", tokens, kv, h, bias=False))
        net.add(linear(f"{p}.attn.v", tokens, kv, h, bias=False))
        net.add(matmul(f"{p}.attn.scores", tokens, context, c["head_dim"], groups=c["heads"]))
        net.add(matmul(f"{p}.attn.context", tokens, c["head_dim"], context, groups=c["heads"]))
        net.add(linear(f"{p}.attn.o", tokens, h, h, bias=False))
        net.add(linear(f"{p}.mlp.gate", tokens, c["ff"], h, bias=False))
        net.add(linear(f"{p}.mlp.up", tokens, c["ff"], h, bias=False))
        net.add(linear(f"{p}.mlp.down", tokens, h, c["ff"], bias=False))
        net.other_params += 2 * h  # two RMSNorm weights
    net.other_params += h  # final norm
    head = linear("lm_head", 1, c["vocab"], h, bias=False)  # logits of the last token only
    net.add(head)
    net.other_params -= head.weights  # tied to the embedding table: not a separate parameter
    return net


def llama32_1b_prefill(seq: int = 512) -> Network:
    """Prefill of `seq` prompt tokens (full, non-causal-skipping attention products)."""
    return _llama("llama32_1b_prefill", seq, seq)


def llama32_1b_decode(context: int = 512) -> Network:
    """One decode step: one new token attending to `context` cached positions."""
    return _llama("llama32_1b_decode", 1, context)
