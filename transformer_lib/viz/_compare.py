"""두 어텐션 분포가 얼마나 다른가: 젠슨-섀넌(Jensen–Shannon) 발산, 비트 단위.

    JS(p, q) = ½ KL(p ‖ m) + ½ KL(q ‖ m),   m = (p + q) / 2,   KL(p ‖ m) = Σ p log₂(p / m)

0 이면 두 분포가 같고, 1 이면 겹치는 곳이 없습니다(밑이 2 일 때 최댓값 1). KL 과 달리 대칭이고, 한쪽이 0 인 칸이
있어도 유한합니다(m 은 p 나 q 가 양수인 곳에서 언제나 양수). 3장(헤드끼리 얼마나 다른가)과 9장(학습 전후)이 씁니다.
"""
from __future__ import annotations

import math


def js_divergence(p, q):
    """마지막 축이 확률 분포인 p, q (..., T_k) 의 JS 발산 (..., ) — 비트, 0~1. 모양은 브로드캐스트됩니다."""
    import torch

    if p.shape[-1] != q.shape[-1]:
        raise ValueError(f"p 와 q 의 마지막 축(분포의 칸 수)은 같아야 합니다; 받은 모양: {tuple(p.shape)}, "
                         f"{tuple(q.shape)}")
    m = (p + q) / 2
    kl_pm = (torch.xlogy(p, p) - torch.xlogy(p, m)).sum(-1)   # 0·log 0 = 0 (xlogy)
    kl_qm = (torch.xlogy(q, q) - torch.xlogy(q, m)).sum(-1)
    return (kl_pm + kl_qm) / 2 / math.log(2)
