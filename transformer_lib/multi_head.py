"""멀티헤드 어텐션(multi-head attention).

    head_i    = Attention(Q W_q^i, K W_k^i, V W_v^i)
    MultiHead = Concat(head_1, ..., head_h) W_o

헤드마다 자기만의 W_q^i, W_k^i, W_v^i (d_model × d_k)를 가집니다. 구현에서는 h개 헤드의 행렬을 옆으로 이어
붙인 하나의 nn.Linear(d_model, d_model)로 한 번에 계산한 뒤, 결과를 h 조각으로 나눕니다(split_heads).

두 경로, 같은 값:
    가중치 경로  `_explicit_attention`: attention.py 의 scaled_dot_product_attention — (B, h, T_q, T_k) 가중치를
                 실제로 만들어 돌려줍니다. need_weights=True 이거나 어텐션 지도를 기록하는 중(record)일 때.
    합친 경로    `_fused_attention`: PyTorch 의 F.scaled_dot_product_attention — 가중치를 밖에 내놓지 않는 대신
                 한 커널로 빠르게 계산합니다. 그 밖의 모든 경우(학습, 디코딩). 두 경로의 출력이 같음은 테스트합니다.
어텐션 지도 기록: `self.record` 는 평소 None 입니다. attention_maps.record_attention 이 여기에 "가중치를 받아
저장하는 함수"를 넣어 두면, forward 는 가중치 경로로 계산하고 그 함수에 가중치를 넘깁니다.

모양: B 배치, h 헤드 수, T_q 쿼리 길이, T_k 키 길이, d_k = d_model / h.
마스크: bool, True = 참여(attend). (B, h, T_q, T_k)로 브로드캐스트되어야 합니다.
"""
import torch
import torch.nn.functional as F
from torch import nn

from .attention import check_mask, fully_masked_rows, scaled_dot_product_attention


class MultiHeadAttention(nn.Module):
    def __init__(self, d_model: int, n_heads: int, dropout_p: float = 0.0, bias: bool = True):
        super().__init__()
        if n_heads <= 0 or d_model % n_heads != 0:
            raise ValueError(
                f"d_model(={d_model})은 n_heads(={n_heads})로 나누어떨어져야 합니다 "
                "(d_model must be divisible by n_heads)"
            )
        self.d_model = d_model
        self.n_heads = n_heads
        self.d_k = d_model // n_heads
        self.dropout_p = dropout_p  # 어텐션 가중치에 거는 드롭아웃 확률
        self.W_q = nn.Linear(d_model, d_model, bias=bias)
        self.W_k = nn.Linear(d_model, d_model, bias=bias)
        self.W_v = nn.Linear(d_model, d_model, bias=bias)
        self.W_o = nn.Linear(d_model, d_model, bias=bias)
        # 로터리 위치 임베딩(positional.RotaryEmbedding)을 쓰는 모델은 셀프 어텐션에 여기 넣습니다(기본: 없음).
        self.rotary = None
        # record_attention 이 넣는 "가중치 (B, h, T_q, T_k)를 받는 함수". None 이면 기록하지 않습니다.
        self.record = None

    def split_heads(self, x: torch.Tensor) -> torch.Tensor:
        """(B, T, d_model) → (B, h, T, d_k): 마지막 차원을 h개 헤드로 자릅니다."""
        B, T, _ = x.shape
        return x.view(B, T, self.n_heads, self.d_k).transpose(1, 2)  # (B, h, T, d_k)

    def merge_heads(self, x: torch.Tensor) -> torch.Tensor:
        """(B, h, T, d_k) → (B, T, d_model): 헤드 출력을 이어 붙입니다(concat)."""
        B, h, T, d_k = x.shape
        return x.transpose(1, 2).reshape(B, T, h * d_k)  # (B, T, d_model)

    def forward(self, query, key, value, mask=None, need_weights=False):
        """query (B, T_q, d_model), key/value (B, T_k, d_model) → (out (B, T_q, d_model), weights).

        need_weights=True 이면 헤드별 가중치 (B, h, T_q, T_k)(드롭아웃 전 소프트맥스 출력)를, 아니면 None을
        돌려줍니다(`torch.nn.MultiheadAttention`과 같은 약속).
        """
        self.check_inputs(query, key, value)
        q = self.split_heads(self.W_q(query))  # (B, h, T_q, d_k)
        k = self.split_heads(self.W_k(key))    # (B, h, T_k, d_k)
        v = self.split_heads(self.W_v(value))  # (B, h, T_k, d_k)
        if self.rotary is not None:            # 쿼리·키를 위치만큼 돌리면 점수가 상대 위치만 봅니다
            q, k = self.rotary(q), self.rotary(k)
        out, weights = self.attend(q, k, v, mask, need_weights)  # (B, h, T_q, d_k)
        return self.W_o(self.merge_heads(out)), weights          # (B, T_q, d_model)

    def attend(self, q, k, v, mask, need_weights):
        """헤드별 q, k, v → (out (B, h, T_q, d_v), weights 또는 None). 가중치가 필요할 때만 가중치 경로."""
        p = self.dropout_p if self.training else 0.0
        if need_weights or self.record is not None:
            out, weights = self._explicit_attention(q, k, v, mask, p)
            if self.record is not None:
                self.record(weights)
            return out, (weights if need_weights else None)
        return self._fused_attention(q, k, v, mask, p), None

    @staticmethod
    def _explicit_attention(q, k, v, mask, p):
        """가중치 경로: 점수 → 소프트맥스 → 가중합을 눈에 보이게 (attention.py). → (out, weights (B, h, T_q, T_k))."""
        return scaled_dot_product_attention(q, k, v, mask=mask, dropout_p=p)

    @staticmethod
    def _fused_attention(q, k, v, mask, p):
        """합친 경로(fused): 같은 식을 PyTorch 의 한 커널로. 가중치 행렬을 밖에 내놓지 않아 빠르고 메모리를 덜 씁니다."""
        if mask is not None:
            check_mask(mask, q.shape[:-1] + (k.shape[-2],), q.dtype)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, dropout_p=p)  # (B, h, T_q, d_v)
        if mask is not None:
            # 모든 키가 가려진 쿼리 행은 가중치 경로처럼 0으로. (GPU의 float16/bfloat16 커널은 0을 보장하지 않음)
            out = out.masked_fill(fully_masked_rows(mask), 0.0)
        return out

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
