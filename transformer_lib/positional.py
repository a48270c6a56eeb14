"""위치 인코딩(positional encoding)과 토큰 임베딩(embedding).

어텐션은 순서를 모릅니다(입력을 섞으면 출력도 똑같이 섞일 뿐). 그래서 각 위치에 고유한 벡터를 더합니다.

    PE(pos, 2i)   = sin(pos / 10000^(2i / d_model))
    PE(pos, 2i+1) = cos(pos / 10000^(2i / d_model))

모양: B 배치, T 시퀀스 길이, d_model 모델 차원.
"""
import math

import torch
from torch import nn


def sinusoidal_positional_encoding(max_len: int, d_model: int) -> torch.Tensor:
    """논문의 사인파 위치 인코딩 표. 모양 (max_len, d_model)."""
    if d_model <= 0 or d_model % 2 != 0:
        raise ValueError(f"d_model(={d_model})은 양의 짝수여야 합니다 (sin/cos 쌍) (d_model must be even)")
    if max_len <= 0:
        raise ValueError(f"max_len(={max_len})은 1 이상이어야 합니다")
    pos = torch.arange(max_len, dtype=torch.float64)[:, None]         # (max_len, 1)
    two_i = torch.arange(0, d_model, 2, dtype=torch.float64)          # (d_model/2,)
    angle = pos / torch.pow(10000.0, two_i / d_model)                 # (max_len, d_model/2)
    pe = torch.zeros(max_len, d_model, dtype=torch.float64)
    pe[:, 0::2] = torch.sin(angle)
    pe[:, 1::2] = torch.cos(angle)
    return pe.float()


class PositionalEncoding(nn.Module):
    """x (B, T, d_model)에 사인파 표 PE[:T]를 더하고 드롭아웃(dropout)을 적용합니다."""

    def __init__(self, d_model: int, max_len: int = 5000, dropout_p: float = 0.0):
        super().__init__()
        self.max_len = max_len
        # 학습하지 않는 값이고 체크포인트에 저장할 필요도 없다 → persistent=False
        self.register_buffer("pe", sinusoidal_positional_encoding(max_len, d_model), persistent=False)
        self.dropout = nn.Dropout(dropout_p)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        check_length(x, self.max_len)
        return self.dropout(x + self.pe[: x.shape[1]])  # (B, T, d_model)


class LearnedPositionalEncoding(nn.Module):
    """비교용: 위치마다 학습되는 벡터(nn.Embedding)를 더합니다. 학습한 길이 너머로는 일반화하지 못합니다."""

    def __init__(self, d_model: int, max_len: int = 512, dropout_p: float = 0.0):
        super().__init__()
        self.max_len = max_len
        self.pe = nn.Embedding(max_len, d_model)
        self.dropout = nn.Dropout(dropout_p)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        check_length(x, self.max_len)
        positions = torch.arange(x.shape[1], device=x.device)  # (T,)
        return self.dropout(x + self.pe(positions))             # (B, T, d_model)


class TokenEmbedding(nn.Module):
    """토큰 번호 (B, T) → 벡터 (B, T, d_model). 논문처럼 √d_model을 곱해 위치 인코딩과 크기를 맞춥니다."""

    def __init__(self, vocab_size: int, d_model: int):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, d_model)
        self.scale = math.sqrt(d_model)

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        if tokens.dim() != 2:
            raise ValueError(f"토큰은 (B, T) 2차원 정수 텐서여야 합니다; 받은 모양: {tuple(tokens.shape)}")
        if tokens.shape[1] == 0:
            raise ValueError("빈 시퀀스(T=0)는 처리할 수 없습니다 (empty sequence)")
        vocab_size = self.embedding.num_embeddings
        lo, hi = tokens.min().item(), tokens.max().item()
        if lo < 0 or hi >= vocab_size:
            raise ValueError(
                f"토큰 번호는 0 이상 {vocab_size} 미만이어야 합니다; 받은 범위: {lo}..{hi} "
                "(token id out of vocabulary range)"
            )
        return self.embedding(tokens) * self.scale  # (B, T, d_model)


# ---------------------------------------------------------------------------------------------------------------
# 상대 위치 방식(relative position): 입력 벡터에 위치를 더하지 않고, 어텐션 점수가 두 위치의 "차이"만 보게 합니다.
# 논문 뒤에 나온 방식들로, 10장에서 학습한 길이보다 긴 문장에 어떤 방식이 버티는지 비교합니다.
# ---------------------------------------------------------------------------------------------------------------
class NoPositionalEncoding(nn.Module):
    """임베딩에는 위치를 더하지 않습니다(드롭아웃만). 위치는 어텐션 안의 로터리나 ALiBi가 맡습니다."""

    def __init__(self, d_model: int, max_len: int = 5000, dropout_p: float = 0.0):
        super().__init__()
        self.max_len = max_len
        self.dropout = nn.Dropout(dropout_p)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        check_length(x, self.max_len)
        return self.dropout(x)  # (B, T, d_model)


class RotaryEmbedding(nn.Module):
    """로터리 위치 임베딩(rotary position embedding, RoPE; Su et al., 2021).

    헤드 벡터 (…, T, d_k)의 차원을 두 개씩 짝지어(i번째와 i + d_k/2번째) 위치 m에 비례하는 각도 m·θ_i만큼
    돌립니다. θ_i = base^(-2i/d_k). 쿼리를 m만큼, 키를 n만큼 돌리면 두 벡터의 내적은 m - n에만 달라집니다:
    ⟨R(m)q, R(n)k⟩ = ⟨q, R(n - m)k⟩. 그래서 어텐션 점수가 **상대 위치**만 봅니다. 학습하는 값은 없습니다.
    """

    def __init__(self, d_k: int, max_len: int = 5000, base: float = 10000.0):
        super().__init__()
        if d_k <= 0 or d_k % 2 != 0:
            raise ValueError(f"로터리의 d_k(={d_k})는 양의 짝수여야 합니다 (rotary needs an even head size d_k)")
        if max_len <= 0:
            raise ValueError(f"max_len(={max_len})은 1 이상이어야 합니다")
        self.d_k, self.max_len = d_k, max_len
        theta = base ** (-torch.arange(0, d_k, 2, dtype=torch.float64) / d_k)     # (d_k/2,)
        angle = torch.arange(max_len, dtype=torch.float64)[:, None] * theta        # (max_len, d_k/2)
        self.register_buffer("cos", torch.cos(angle).float(), persistent=False)   # 저장하지 않는 표
        self.register_buffer("sin", torch.sin(angle).float(), persistent=False)

    def forward(self, x: torch.Tensor, offset: int = 0) -> torch.Tensor:
        """x (…, T, d_k) → 같은 모양. 위치는 offset, offset+1, …, offset+T-1."""
        if x.dim() < 2 or x.shape[-1] != self.d_k:
            raise ValueError(f"로터리 입력은 (…, T, d_k={self.d_k}) 모양이어야 합니다; 받은 모양: {tuple(x.shape)}")
        T = x.shape[-2]
        if T == 0 or offset < 0 or offset + T > self.max_len:
            raise ValueError(
                f"위치 {offset}..{offset + T - 1}이 로터리 표의 범위 0..{self.max_len - 1}를 벗어납니다 "
                "(positions outside the rotary table)"
            )
        cos = self.cos[offset: offset + T].to(x.dtype)   # (T, d_k/2)
        sin = self.sin[offset: offset + T].to(x.dtype)
        x1, x2 = x[..., : self.d_k // 2], x[..., self.d_k // 2:]
        return torch.cat([x1 * cos - x2 * sin, x1 * sin + x2 * cos], dim=-1)   # 짝마다 2차원 회전


def alibi_slopes(n_heads: int) -> torch.Tensor:
    """ALiBi(Press et al., 2022)의 헤드별 기울기 (h,). h가 2의 거듭제곱이면 2^(-8/h), 2^(-16/h), …, 2^(-8).

    2의 거듭제곱이 아니면 논문의 방식대로, 가까운 2의 거듭제곱의 기울기에 그 두 배 개수의 기울기를 번갈아 보탭니다."""
    if n_heads <= 0:
        raise ValueError(f"n_heads(={n_heads})는 1 이상이어야 합니다")

    def power_of_2(n):
        start = 2 ** (-8 / n)
        return [start ** (i + 1) for i in range(n)]

    p = 2 ** math.floor(math.log2(n_heads))
    slopes = power_of_2(p) + power_of_2(2 * p)[0::2][: n_heads - p]
    return torch.tensor(slopes)


def alibi_mask(mask: torch.Tensor, slopes: torch.Tensor, T_q: int, T_k: int) -> torch.Tensor:
    """bool 마스크(True = 참여, (…, T_q, T_k)로 브로드캐스트)에 ALiBi 편향 -slope·|i - j|를 얹은 실수 마스크
    (B, h, T_q, T_k)를 돌려줍니다. 가려진 자리는 -inf. 멀리 떨어진 키일수록 점수가 직선으로 깎입니다.
    (셀프 어텐션에만 씁니다: 크로스 어텐션의 두 문장 사이 거리는 뜻이 없습니다.)"""
    if mask.dtype != torch.bool:
        raise TypeError(f"ALiBi는 bool 마스크(True = 참여)에 얹습니다; 받은 dtype: {mask.dtype}")
    i = torch.arange(T_q, device=mask.device)[:, None]
    j = torch.arange(T_k, device=mask.device)[None, :]
    bias = -slopes.to(mask.device)[:, None, None] * (i - j).abs()      # (h, T_q, T_k)
    return bias.masked_fill(~mask, float("-inf"))                        # (B, h, T_q, T_k)


# 입력 검사 ---------------------------------------------------------------------------------------------------
def check_length(x: torch.Tensor, max_len: int) -> None:
    if x.dim() != 3:
        raise ValueError(f"입력은 (B, T, d_model) 3차원이어야 합니다; 받은 모양: {tuple(x.shape)}")
    T = x.shape[1]
    if T == 0:
        raise ValueError("빈 시퀀스(T=0)는 처리할 수 없습니다 (empty sequence)")
    if T > max_len:
        raise ValueError(
            f"시퀀스 길이 T={T}가 위치 표의 max_len={max_len}보다 깁니다 (sequence longer than max_len)"
        )
