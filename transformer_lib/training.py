"""학습 도구: 논문의 워밍업(warmup) 학습률 스케줄과 라벨 스무딩(label smoothing) 손실.

    lrate = factor · d_model^(-0.5) · min(step^(-0.5), step · warmup_steps^(-1.5))

워밍업 동안 학습률이 선형으로 오르고, 그 뒤에는 1/√step 으로 줄어듭니다.
"""
import torch
import torch.nn.functional as F
from torch import nn
from torch.optim.lr_scheduler import LambdaLR


def noam_lr(step: int, d_model: int, warmup_steps: int, factor: float = 1.0) -> float:
    """step번째(1부터) 업데이트의 학습률. step=0은 1로 취급합니다(0의 음수 거듭제곱을 피함)."""
    if warmup_steps <= 0:
        raise ValueError(f"warmup_steps(={warmup_steps})는 1 이상이어야 합니다")
    step = max(step, 1)
    return factor * d_model ** -0.5 * min(step ** -0.5, step * warmup_steps ** -1.5)


class NoamSchedule(LambdaLR):
    """옵티마이저의 학습률을 noam_lr로 정합니다. 옵티마이저의 lr은 1.0으로 만들어 두세요(곱해지므로)."""

    def __init__(self, optimizer, d_model: int, warmup_steps: int, factor: float = 1.0):
        # LambdaLR은 0부터 세므로 step+1을 넘깁니다.
        super().__init__(optimizer, lambda step: noam_lr(step + 1, d_model, warmup_steps, factor))


class LabelSmoothingLoss(nn.Module):
    """라벨 스무딩 교차 엔트로피(cross-entropy).

    정답 분포 q = (1-ε)·one_hot(정답) + ε/V (모든 단어에 고르게)
    loss = -Σ_v q_v · log p_v   를 패딩이 아닌 위치에 대해 평균냅니다.
    (F.cross_entropy(..., label_smoothing=ε)와 같은 값: 테스트됨)
    """

    def __init__(self, smoothing: float = 0.1, ignore_index: int = 0):
        super().__init__()
        if not 0.0 <= smoothing < 1.0:
            raise ValueError(f"smoothing(={smoothing})은 0 이상 1 미만이어야 합니다")
        self.smoothing = smoothing
        self.ignore_index = ignore_index

    def forward(self, logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        """logits (B, T, V), target (B, T) → 스칼라."""
        if logits.shape[:-1] != target.shape:
            raise ValueError(
                f"logits (B, T, V)와 target (B, T)의 앞 차원이 같아야 합니다: "
                f"{tuple(logits.shape)} vs {tuple(target.shape)}"
            )
        log_p = F.log_softmax(logits, dim=-1)                              # (B, T, V)
        nll = -log_p.gather(-1, target.unsqueeze(-1)).squeeze(-1)          # (B, T) 정답의 -log p
        uniform = -log_p.mean(dim=-1)                                      # (B, T) Σ_v (1/V)·(-log p_v)
        loss = (1 - self.smoothing) * nll + self.smoothing * uniform       # (B, T)
        keep = target != self.ignore_index
        if not keep.any():
            raise ValueError("target이 모두 패딩입니다: 손실을 계산할 토큰이 없습니다")
        return loss[keep].mean()
