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


class PositionalEncoding(nn.Module):
    """x (B, T, d_model)에 사인파 표 PE[:T]를 더하고 드롭아웃(dropout)을 적용합니다."""

    def __init__(self, d_model: int, max_len: int = 5000, dropout: float = 0.0):
        super().__init__()
        self.max_len = max_len
        # 학습하지 않는 값이고 체크포인트에 저장할 필요도 없다 → persistent=False
        self.register_buffer("pe", sinusoidal_positional_encoding(max_len, d_model), persistent=False)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        check_length(x, self.max_len)
        return self.dropout(x + self.pe[: x.shape[1]])  # (B, T, d_model)


class LearnedPositionalEncoding(nn.Module):
    """비교용: 위치마다 학습되는 벡터(nn.Embedding)를 더합니다. 학습한 길이 너머로는 일반화하지 못합니다."""

    def __init__(self, d_model: int, max_len: int = 512, dropout: float = 0.0):
        super().__init__()
        self.max_len = max_len
        self.pe = nn.Embedding(max_len, d_model)
        self.dropout = nn.Dropout(dropout)

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
