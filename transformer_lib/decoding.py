"""번역문을 한 토큰씩 만들어 내는 디코딩(decoding): 탐욕적 디코딩(greedy decoding)과 빔 서치(beam search).

학습 때는 정답 문장을 통째로 넣지만(교사 강요, teacher forcing), 생성할 때는 모델이 방금 만든 토큰을
다시 입력으로 넣어 다음 토큰을 예측합니다(자기회귀, autoregressive). 인코더는 한 번만 실행합니다.
모양: src (B, S), 만들어진 토큰 ys (B, t).
"""
import functools

import torch


def in_eval_mode(decode_fn):
    """생성하는 동안은 드롭아웃을 끄고(model.eval()), 끝나면 모델의 원래 모드로 되돌립니다."""

    @functools.wraps(decode_fn)
    def wrapper(model, *args, **kwargs):
        was_training = model.training
        model.eval()
        try:
            return decode_fn(model, *args, **kwargs)
        finally:
            model.train(was_training)

    return wrapper


def check_src(src):
    if src.dim() != 2 or src.shape[1] == 0:
        raise ValueError(f"src는 비어 있지 않은 (B, S) 정수 텐서여야 합니다; 받은 모양: {tuple(src.shape)}")


@torch.no_grad()
@in_eval_mode
def greedy_decode(model, src, bos_id: int, eos_id: int, max_len: int) -> torch.Tensor:
    """매 단계 확률이 가장 큰 토큰을 고릅니다. → (B, t) (BOS로 시작, EOS 뒤는 pad_id로 채움)."""
    check_src(src)
    src_mask = model.make_src_mask(src)
    memory, _ = model.encode(src, src_mask)                  # (B, S, d_model)
    ys = torch.full((src.shape[0], 1), bos_id, dtype=torch.long, device=src.device)
    done = torch.zeros(src.shape[0], dtype=torch.bool, device=src.device)
    for _ in range(max_len - 1):
        logits, _ = model.decode(ys, memory, src_mask)       # (B, t, V)
        next_tok = logits[:, -1].argmax(dim=-1)               # (B,)
        next_tok = next_tok.masked_fill(done, model.config.pad_id)
        ys = torch.cat([ys, next_tok[:, None]], dim=1)        # (B, t+1)
        done |= next_tok == eos_id
        if done.all():
            break
    return ys


@torch.no_grad()
@in_eval_mode
def beam_search(model, src, bos_id: int, eos_id: int, max_len: int, beam_size: int = 4,
                length_penalty: float = 0.6) -> torch.Tensor:
    """문장 하나(B=1)에 대해 후보 beam_size개를 유지하며 점수가 가장 좋은 번역을 찾습니다. → (1, t).

    점수 = log p(문장) / lp,  lp = ((5 + 길이) / 6)^length_penalty  (긴 문장이 불리하지 않도록, GNMT 방식)
    """
    check_src(src)
    if src.shape[0] != 1:
        raise ValueError(f"beam_search는 문장 하나(B=1)만 받습니다; 받은 배치 크기: {src.shape[0]}")
    src_mask = model.make_src_mask(src)
    memory, _ = model.encode(src, src_mask)                  # (1, S, d_model)
    beams = torch.full((1, 1), bos_id, dtype=torch.long, device=src.device)  # (k, t)
    scores = torch.zeros(1, device=src.device)                               # (k,) 누적 log p
    finished = []                                                            # (점수, 토큰) 목록

    def normalized(logp, length):
        return logp / ((5 + length) / 6) ** length_penalty

    for _ in range(max_len - 1):
        k = beams.shape[0]
        logits, _ = model.decode(beams, memory.expand(k, -1, -1), src_mask.expand(k, -1, -1, -1))
        logp = logits[:, -1].log_softmax(dim=-1)              # (k, V)
        cand = (scores[:, None] + logp).flatten()             # (k·V,)
        top, idx = cand.topk(min(beam_size, cand.numel()))
        V = logp.shape[1]
        beams = torch.cat([beams[idx // V], (idx % V)[:, None]], dim=1)  # (k', t+1)
        scores = top
        ended = beams[:, -1] == eos_id
        for b in ended.nonzero().flatten().tolist():
            finished.append((normalized(scores[b].item(), beams.shape[1] - 1), beams[b]))
        beams, scores = beams[~ended], scores[~ended]
        if beams.shape[0] == 0 or len(finished) >= beam_size:
            break
    if not finished:  # max_len 안에 EOS가 없으면 남은 후보 중 최고
        finished = [(normalized(s.item(), beams.shape[1] - 1), b) for s, b in zip(scores, beams)]
    best = max(finished, key=lambda item: item[0])[1]
    return best[None, :]
