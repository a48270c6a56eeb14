"""스케일드 닷프로덕트 어텐션(scaled dot-product attention).

    Attention(Q, K, V) = softmax(Q Kᵀ / √d_k) V

모양(shape) 표기:
    ... : 배치·헤드 같은 앞쪽 차원 (없어도 됨)
    T_q : 쿼리(query) 개수,  T_k : 키(key) = 밸류(value) 개수
    d_k : 쿼리·키 벡터의 길이,  d_v : 밸류 벡터의 길이

마스크(mask) 규칙: 불리언(bool)이면 True = 참여(attend) 가능, False = 가림.
(`torch.nn.functional.scaled_dot_product_attention`과 같은 규칙입니다.)
실수(float) 마스크는 점수(score)에 그대로 더합니다.
"""
import math

import torch
import torch.nn.functional as F


def scaled_dot_product_attention(q, k, v, mask=None, dropout_p=0.0):
    """softmax(q kᵀ / √d_k) v 를 계산하고 (출력, 가중치)를 돌려줍니다.

    Args:
        q: (..., T_q, d_k)   k: (..., T_k, d_k)   v: (..., T_k, d_v)
        mask: (..., T_q, T_k)로 브로드캐스트되는 bool(True = 참여) 또는 float(점수에 더함) 텐서.
        dropout_p: 가중치에 적용할 드롭아웃(dropout) 확률.
    Returns:
        out: (..., T_q, d_v)
        weights: (..., T_q, T_k) — 소프트맥스 출력(드롭아웃 적용 전).
    모든 키가 가려진 쿼리 행은 NaN 대신 가중치 0, 출력 0이 됩니다.
    """
    check_qkv(q, k, v)
    d_k = q.shape[-1]
    scores = q @ k.transpose(-2, -1) / math.sqrt(d_k)  # (..., T_q, T_k)

    empty_row = None
    if mask is not None:
        check_mask(mask, scores.shape, q.dtype)
        if mask.dtype == torch.bool:
            scores = scores.masked_fill(~mask, float("-inf"))
        else:
            scores = scores + mask
        # 한 행의 키가 모두 가려지면 softmax(-inf, ..., -inf) = NaN 이 되고, 역전파(backward)에도 NaN이 퍼진다.
        # 그런 행은 점수를 0으로 바꿔 소프트맥스를 유한하게 계산한 뒤, 가중치를 0으로 만든다.
        empty_row = fully_masked_rows(mask)  # (..., T_q, 1)
        scores = scores.masked_fill(empty_row, 0.0)

    weights = F.softmax(scores, dim=-1)  # (..., T_q, T_k)
    if empty_row is not None:
        weights = weights.masked_fill(empty_row, 0.0)

    dropped = F.dropout(weights, p=dropout_p) if dropout_p > 0.0 else weights
    out = dropped @ v  # (..., T_q, d_v)
    return out, weights


# ---------------------------------------------------------------------------------------------------------------
# 입력 검사 (함수 안의 이름은 부를 때 찾으므로, 위 함수보다 아래에 두어도 됩니다)
# ---------------------------------------------------------------------------------------------------------------
def check_mask(mask: torch.Tensor, scores_shape: torch.Size, dtype: torch.dtype) -> None:
    """마스크의 dtype과 모양이 점수 행렬 (..., T_q, T_k)(dtype: 쿼리와 같음)에 맞는지 확인합니다."""
    if not (mask.dtype == torch.bool or mask.is_floating_point()):
        raise TypeError(
            f"mask는 bool(True = 참여) 또는 실수형이어야 합니다; 받은 dtype: {mask.dtype} "
            "(mask must be bool, True = may attend, or float)"
        )
    if mask.is_floating_point() and mask.dtype != dtype:
        raise TypeError(
            f"실수형 mask의 dtype은 쿼리와 같은 {dtype}이어야 합니다; 받은 dtype: {mask.dtype} "
            "(float mask must match the query dtype)"
        )
    try:
        shape = torch.broadcast_shapes(mask.shape, scores_shape)
    except RuntimeError:
        shape = None
    if shape != scores_shape:
        raise ValueError(
            f"mask 모양 {tuple(mask.shape)}을 점수 모양 {tuple(scores_shape)} (..., T_q, T_k)에 "
            "브로드캐스트할 수 없습니다 (mask is not broadcastable to (..., T_q, T_k))"
        )


def check_qkv(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> None:
    """q, k, v 모양이 서로 맞는지 확인하고, 틀리면 무엇이 기대되는지 알려 줍니다."""
    for name, t in (("q", q), ("k", k), ("v", v)):
        if t.dim() < 2:
            raise ValueError(f"{name}는 최소 2차원 (..., T, d)이어야 합니다; 받은 모양: {tuple(t.shape)}")
        if t.shape[-2] == 0:
            raise ValueError(f"{name}의 시퀀스 길이가 0입니다 (empty sequence): 모양 {tuple(t.shape)}")
    if q.shape[-1] != k.shape[-1]:
        raise ValueError(
            f"q와 k의 마지막 차원(d_k)이 같아야 합니다: q {tuple(q.shape)}, k {tuple(k.shape)} "
            "(q and k must share d_k)"
        )
    if k.shape[-2] != v.shape[-2]:
        raise ValueError(
            f"키 개수와 밸류 개수(T_k)가 같아야 합니다: k {tuple(k.shape)}, v {tuple(v.shape)} "
            "(#keys must equal #values)"
        )


def fully_masked_rows(mask: torch.Tensor) -> torch.Tensor:
    """키가 하나도 참여하지 못하는 쿼리 행: (..., T_q, 1) bool. bool 마스크는 False, 실수 마스크는 -inf가 가림."""
    allowed = mask if mask.dtype == torch.bool else mask != float("-inf")
    return ~allowed.any(dim=-1, keepdim=True)
