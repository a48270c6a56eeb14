"""위치별 피드포워드 신경망(position-wise feed-forward network, FFN).

    FFN(x) = max(0, x W_1 + b_1) W_2 + b_2

같은 두 층짜리 MLP를 모든 위치(토큰)에 따로따로, 똑같이 적용합니다. 토큰끼리 섞는 일은 어텐션이 하고,
FFN은 토큰 하나하나를 비선형으로 변환합니다.
모양: (B, T, d_model) → (B, T, d_ff) → (B, T, d_model)
"""
import torch.nn.functional as F
from torch import nn


class FeedForward(nn.Module):
    def __init__(self, d_model: int, d_ff: int, dropout_p: float = 0.0):
        super().__init__()
        self.linear1 = nn.Linear(d_model, d_ff)
        self.linear2 = nn.Linear(d_ff, d_model)
        self.dropout = nn.Dropout(dropout_p)

    def forward(self, x):
        hidden = self.dropout(F.relu(self.linear1(x)))  # (B, T, d_ff)
        return self.linear2(hidden)                      # (B, T, d_model)
