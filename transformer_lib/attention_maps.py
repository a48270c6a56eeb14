"""어텐션 지도(attention maps) 기록: 모델은 언제나 텐서 하나를 돌려주고, 지도는 이 한 가지 방법으로 꺼냅니다.

    with tl.record_attention(model) as maps:
        logits = model(src, tgt)
    maps.encoder[0]   # 0번 인코더 층의 셀프 어텐션 (B, h, S, S)
    maps.cross[-1]    # 마지막 디코더 층의 크로스 어텐션 (B, h, T, S)

어떻게 동작하나: 멀티헤드 어텐션 층마다 `record` 자리가 있습니다(평소 None). `with` 에 들어가면 이 자리에
"받은 가중치를 maps 의 알맞은 칸에 넣는 함수"를 넣고, 나올 때 다시 None 으로 되돌립니다. record 가 있는 동안
층은 가중치를 실제로 만드는 경로로 계산합니다(multi_head.py). 그래서
- maps 에는 `with` 안에서 마지막으로 실행한 forward 의 지도가 남습니다(층마다 덮어씀).
- `with` 밖에서는 아무것도 저장하지 않고, 빠른 합친 경로(F.scaled_dot_product_attention)를 씁니다.
Transformer, Encoder, Decoder, EncoderLayer, DecoderLayer, VisionTransformer(지도는 maps.encoder) 모두에 씁니다.
"""
import contextlib
from dataclasses import dataclass, field
from typing import List

import torch
from torch import nn

from .layers import DecoderLayer, EncoderLayer


@dataclass
class AttentionMaps:
    """층별 어텐션 가중치. 각 원소 (B, h, T_q, T_k) — bertviz.head_view에 그대로 넘길 수 있습니다."""

    encoder: List[torch.Tensor] = field(default_factory=list)  # 인코더 셀프 어텐션
    decoder: List[torch.Tensor] = field(default_factory=list)  # 디코더 (마스크드) 셀프 어텐션
    cross: List[torch.Tensor] = field(default_factory=list)    # 인코더-디코더(크로스) 어텐션


def attention_layers(module: nn.Module):
    """module 안의 멀티헤드 어텐션을 층 순서대로: [(종류, 멀티헤드 어텐션), ...]. 종류는 AttentionMaps 의 필드 이름."""
    found = []
    for m in module.modules():          # 등록 순서: 인코더 층들 → 디코더 층들
        if isinstance(m, EncoderLayer):
            found.append(("encoder", m.self_attn))
        elif isinstance(m, DecoderLayer):
            found += [("decoder", m.self_attn), ("cross", m.cross_attn)]
    return found


def _keeper(slots: list, i: int):
    """가중치를 받아 slots[i] 에 넣는 함수 (forward 가 부를 때마다 덮어씀)."""
    def keep(weights):
        slots[i] = weights
    return keep


@contextlib.contextmanager
def record_attention(module: nn.Module):
    """`with record_attention(model) as maps:` — 블록 안의 forward 가 만든 층별 지도를 maps(AttentionMaps)에 담습니다."""
    layers = attention_layers(module)
    if not layers:
        raise ValueError(f"{type(module).__name__} 안에 EncoderLayer·DecoderLayer 가 없습니다 "
                         "(record_attention needs a module containing encoder/decoder layers)")
    if any(attn.record is not None for _, attn in layers):
        raise RuntimeError("이미 record_attention 으로 기록 중인 모듈입니다 (nested record_attention)")
    maps = AttentionMaps()
    for kind, attn in layers:
        slots = getattr(maps, kind)
        slots.append(None)                                  # 첫 forward 전에는 빈칸
        attn.record = _keeper(slots, len(slots) - 1)
    try:
        yield maps
    finally:
        for _, attn in layers:
            attn.record = None
