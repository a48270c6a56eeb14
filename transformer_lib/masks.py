"""마스크(mask) 만들기: 패딩 마스크(padding mask)와 룩어헤드 마스크(look-ahead mask, causal mask).

규칙: 모든 마스크는 bool이고 True = 참여(attend) 가능, False = 가림.
점수 행렬 (B, h, T_q, T_k)에 브로드캐스트되는 모양으로 만듭니다.
"""
import torch


def causal_mask(T: int, device=None) -> torch.Tensor:
    """룩어헤드 마스크: 위치 i는 0..i 까지만 볼 수 있습니다. 모양 (T, T), 아래삼각이 True.

    예) T=3 →  [[T, F, F],
                [T, T, F],
                [T, T, T]]
    """
    if T <= 0:
        raise ValueError(f"T는 1 이상이어야 합니다; 받은 값: {T} (sequence length must be positive)")
    return torch.ones(T, T, dtype=torch.bool, device=device).tril()


def padding_mask(tokens: torch.Tensor, pad_id: int) -> torch.Tensor:
    """패딩 마스크: 키(key) 자리의 토큰이 패딩이 아니면 True. tokens (B, T) → (B, 1, 1, T).

    가운데 두 차원(헤드 h, 쿼리 T_q)은 1이라서 모든 헤드, 모든 쿼리에 똑같이 브로드캐스트됩니다.
    """
    if tokens.dim() != 2:
        raise ValueError(f"tokens는 (B, T) 2차원이어야 합니다; 받은 모양: {tuple(tokens.shape)}")
    return (tokens != pad_id)[:, None, None, :]  # (B, 1, 1, T)


def combine_masks(*masks):
    """여러 bool 마스크를 논리곱(AND)으로 합칩니다. 모두 True인 자리만 참여할 수 있습니다.

    None은 건너뜁니다(가리지 않음). 예) combine_masks(padding_mask(tgt, 0), causal_mask(T))
    → (B, 1, T, T).
    """
    out = None
    for m in masks:
        if m is None:
            continue
        if m.dtype != torch.bool:
            raise TypeError(f"combine_masks는 bool 마스크만 받습니다; 받은 dtype: {m.dtype}")
        out = m if out is None else out & m
    return out
