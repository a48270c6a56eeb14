"""멀티헤드 어텐션(multi-head attention).

    head_i    = Attention(Q W_q^i, K W_k^i, V W_v^i)
    MultiHead = Concat(head_1, ..., head_h) W_o

헤드마다 자기만의 W_q^i, W_k^i, W_v^i (d_model × d_k)를 가집니다. 구현에서는 h개 헤드의 행렬을 옆으로 이어
붙인 하나의 nn.Linear(d_model, d_model)로 한 번에 계산한 뒤, 결과를 h 조각으로 나눕니다(split_heads).

모양: B 배치, h 헤드 수, T_q 쿼리 길이, T_k 키 길이, d_k = d_model / h.
마스크: bool, True = 참여(attend). (B, h, T_q, T_k)로 브로드캐스트되어야 합니다.
"""
import torch
import torch.nn.functional as F
from torch import nn

from .attention import check_mask, fully_masked_rows, scaled_dot_product_attention


class MultiHeadAttention(nn.Module):
    def __init__(self, d_model: int, n_heads: int, dropout: float = 0.0, bias: bool = True):
        super().__init__()
        if n_heads <= 0 or d_model % n_heads != 0:
            raise ValueError(
                f"d_model(={d_model})은 n_heads(={n_heads})로 나누어떨어져야 합니다 "
                "(d_model must be divisible by n_heads)"
            )
        self.d_model = d_model
        self.n_heads = n_heads
        self.d_k = d_model // n_heads
        self.dropout = dropout
        self.W_q = nn.Linear(d_model, d_model, bias=bias)
        self.W_k = nn.Linear(d_model, d_model, bias=bias)
        self.W_v = nn.Linear(d_model, d_model, bias=bias)
        self.W_o = nn.Linear(d_model, d_model, bias=bias)
        # 로터리 위치 임베딩(positional.RotaryEmbedding)을 쓰는 모델은 셀프 어텐션에 여기 넣습니다(기본: 없음).
        self.rotary = None

    def split_heads(self, x: torch.Tensor) -> torch.Tensor:
        """(B, T, d_model) → (B, h, T, d_k): 마지막 차원을 h개 헤드로 자릅니다."""
        B, T, _ = x.shape
        return x.view(B, T, self.n_heads, self.d_k).transpose(1, 2)  # (B, h, T, d_k)

    def merge_heads(self, x: torch.Tensor) -> torch.Tensor:
        """(B, h, T, d_k) → (B, T, d_model): 헤드 출력을 이어 붙입니다(concat)."""
        B, h, T, d_k = x.shape
        return x.transpose(1, 2).reshape(B, T, h * d_k)  # (B, T, d_model)

    def check_inputs(self, query, key, value):
        for name, t in (("query", query), ("key", key), ("value", value)):
            if t.dim() != 3 or t.shape[-1] != self.d_model:
                raise ValueError(
                    f"{name}는 (B, T, d_model={self.d_model}) 모양이어야 합니다; 받은 모양: {tuple(t.shape)}"
                )
            if t.shape[1] == 0:
                raise ValueError(f"{name}의 시퀀스 길이가 0입니다 (empty sequence)")
        if key.shape[:2] != value.shape[:2]:
            raise ValueError(
                f"key와 value의 (B, T_k)가 같아야 합니다: key {tuple(key.shape)}, value {tuple(value.shape)}"
            )
        if query.shape[0] != key.shape[0]:
            raise ValueError(f"query와 key의 배치 크기가 다릅니다: {query.shape[0]} vs {key.shape[0]}")

    def forward(self, query, key, value, mask=None, need_weights=False):
        """query (B, T_q, d_model), key/value (B, T_k, d_model) → (out (B, T_q, d_model), weights).

        need_weights=True 이면 헤드별 가중치 (B, h, T_q, T_k)(드롭아웃 전 소프트맥스 출력)를, 아니면 None을
        돌려줍니다. 가중치가 필요 없을 때는 같은 계산을 하는 PyTorch의 빠른 함수를 씁니다(결과는 같음: 테스트됨).
        """
        self.check_inputs(query, key, value)
        q = self.split_heads(self.W_q(query))  # (B, h, T_q, d_k)
        k = self.split_heads(self.W_k(key))    # (B, h, T_k, d_k)
        v = self.split_heads(self.W_v(value))  # (B, h, T_k, d_k)
        if self.rotary is not None:            # 쿼리·키를 위치만큼 돌리면 점수가 상대 위치만 봅니다
            q, k = self.rotary(q), self.rotary(k)
        p = self.dropout if self.training else 0.0

        if need_weights:
            out, weights = scaled_dot_product_attention(q, k, v, mask=mask, dropout_p=p)
        else:
            if mask is not None:
                check_mask(mask, q.shape[:-1] + (k.shape[-2],), q.dtype)
            out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, dropout_p=p)  # (B, h, T_q, d_k)
            if mask is not None:
                # 모든 키가 가려진 쿼리 행은 가중치 경로처럼 0으로. (GPU의 float16/bfloat16 커널은 0을 보장하지 않음)
                out = out.masked_fill(fully_masked_rows(mask), 0.0)
            weights = None
        out = self.W_o(self.merge_heads(out))  # (B, T_q, d_model)
        return out, weights
