"""번역문을 한 토큰씩 만들어 내는 디코딩(decoding): 탐욕적 디코딩(greedy decoding)과 빔 서치(beam search).

학습 때는 정답 문장을 통째로 넣지만(교사 강요, teacher forcing), 생성할 때는 모델이 방금 만든 토큰을
다시 입력으로 넣어 다음 토큰을 예측합니다(자기회귀, autoregressive). 인코더는 한 번만 실행합니다.

추론에 쓰는 것은 모두 여기에 있습니다: 번역문 길이 한도(max_decode_len), 스레드 1개로 돌리기(single_thread),
단계별 보기(greedy_steps: 만든 단어마다 다음 단어 후보 상위 k개와 어텐션 지도 — 9장의 탐색기).
모양: src (B, S), 만들어진 토큰 ys (B, t).
"""
import contextlib
from dataclasses import dataclass

import torch

from .attention_maps import AttentionMaps, record_attention

MAX_DECODE_EXTRA = 8  # 번역문 최대 길이 = 원문 토큰 수 × 2 + 이만큼 (위치 표 길이를 넘지 않게)


def max_decode_len(src_len: int, max_len: int) -> int:
    """디코딩 길이 한도(<bos> 포함) = min(원문 토큰 수 × 2 + MAX_DECODE_EXTRA, 모델의 위치 표 길이 max_len)."""
    return min(src_len * 2 + MAX_DECODE_EXTRA, max_len)


@torch.no_grad()
def greedy_decode(model, src, bos_id: int, eos_id: int, max_len: int) -> torch.Tensor:
    """매 단계 확률이 가장 큰 토큰을 고릅니다. → (B, t) (BOS로 시작, EOS 뒤는 pad_id로 채움)."""
    check_src(src)
    with eval_mode(model):
        src_mask = model.make_src_mask(src)
        memory = model.encode(src, src_mask)                  # (B, S, d_model)
        ys = torch.full((src.shape[0], 1), bos_id, dtype=torch.long, device=src.device)
        done = torch.zeros(src.shape[0], dtype=torch.bool, device=src.device)
        for _ in range(max_len - 1):
            logits = model.decode(ys, memory, src_mask)       # (B, t, V)
            next_tok = logits[:, -1].argmax(dim=-1)           # (B,)
            next_tok = next_tok.masked_fill(done, model.config.pad_id)
            ys = torch.cat([ys, next_tok[:, None]], dim=1)    # (B, t+1)
            done |= next_tok == eos_id
            if done.all():
                break
    return ys


@torch.no_grad()
def beam_search(model, src, bos_id: int, eos_id: int, max_len: int, beam_size: int = 4,
                length_penalty: float = 0.6) -> torch.Tensor:
    """문장 하나(B=1)에 대해 후보 beam_size개를 유지하며 점수가 가장 좋은 번역을 찾습니다. → (1, t).

    점수 = log p(문장) / lp,  lp = ((5 + 길이) / 6)^length_penalty  (긴 문장이 불리하지 않도록, GNMT 방식)
    """
    check_src(src)
    if src.shape[0] != 1:
        raise ValueError(f"beam_search는 문장 하나(B=1)만 받습니다; 받은 배치 크기: {src.shape[0]}")

    def normalized(logp, length):
        return logp / ((5 + length) / 6) ** length_penalty

    with eval_mode(model):
        src_mask = model.make_src_mask(src)
        memory = model.encode(src, src_mask)                                     # (1, S, d_model)
        beams = torch.full((1, 1), bos_id, dtype=torch.long, device=src.device)  # (k, t)
        scores = torch.zeros(1, device=src.device)                               # (k,) 누적 log p
        finished = []                                                            # (점수, 토큰) 목록
        for _ in range(max_len - 1):
            k = beams.shape[0]
            logits = model.decode(beams, memory.expand(k, -1, -1), src_mask.expand(k, -1, -1, -1))  # (k, t, V)
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


@dataclass
class GreedySteps:
    """문장 하나의 탐욕적 디코딩을 단계별로 본 결과. 단계 i = 디코더 입력 i번째 → 출력 i번째 단어."""

    tokens: torch.Tensor        # (t,) 만든 토큰 전체: <bos> w1 ... (<eos>)
    finished: bool              # 한도 안에 <eos>가 나왔는가
    decoder_inputs: torch.Tensor  # (T,) 디코더 입력: <bos> w1 ... (마지막 <eos>는 입력이 아님)
    maps: AttentionMaps         # 디코더 입력 전체를 한 번 넣었을 때의 층별 지도 (1, h, T_q, T_k)
    top_ids: torch.Tensor       # (T, k) 단계마다 다음 토큰 후보 (확률 높은 순)
    top_probs: torch.Tensor     # (T, k) 그 확률


@torch.no_grad()
def greedy_steps(model, src, bos_id: int, eos_id: int, max_len: int, k: int = 5) -> GreedySteps:
    """문장 하나(1, S)를 greedy_decode 로 번역한 뒤, 만든 문장을 디코더에 한 번 더 넣어 단계별 값을 기록합니다.

    룩어헤드 마스크 덕분에 한 번에 넣어도 행 i 는 i 단계에서 본 것과 같습니다: 크로스 어텐션의 행 i 는 i번째 단어를
    만들 때 원문의 어디를 보았는지, top_ids[i] 는 그때의 다음 단어 후보입니다.
    """
    if src.dim() != 2 or src.shape[0] != 1:
        raise ValueError(f"greedy_steps는 문장 하나 (1, S)만 받습니다; 받은 모양: {tuple(src.shape)}")
    ys = greedy_decode(model, src, bos_id, eos_id, max_len)[0]   # (t,)
    finished = ys[-1].item() == eos_id
    dec_in = ys[:-1] if finished else ys                          # (T,)
    with eval_mode(model), record_attention(model) as maps:
        logits = model(src, dec_in[None])                         # (1, T, V)
    top_probs, top_ids = logits[0].softmax(-1).topk(k)            # (T, k)
    return GreedySteps(ys, finished, dec_in, maps, top_ids, top_probs)


# ---------------------------------------------------------------------------------------------------------------
# 도우미: 평가 모드, 스레드, 입력 검사
# ---------------------------------------------------------------------------------------------------------------
@contextlib.contextmanager
def eval_mode(model):
    """생성하는 동안은 드롭아웃을 끄고(model.eval()), 끝나면 모델의 원래 모드로 되돌립니다."""
    was_training = model.training
    model.eval()
    try:
        yield model
    finally:
        model.train(was_training)


@contextlib.contextmanager
def torch_threads(n: int):
    """이 블록 동안만 torch 스레드를 n개로 (끝나면 원래대로)."""
    old = torch.get_num_threads()
    if n and n != old:
        torch.set_num_threads(n)
    try:
        yield
    finally:
        if n and n != old:
            torch.set_num_threads(old)


def single_thread():
    """이 블록 동안만 torch 스레드를 1개로 (끝나면 원래대로).

    이 책의 모델로 하는 추론은 연산 하나하나가 아주 작아서, 스레드를 나누는 비용이 계산에 비해 큽니다. CPU를 다른
    프로세스와 나눠 쓰는 중이면 스레드 2개가 서로를 기다리느라 수십 배 느려지기도 합니다(benchmarks/bench_toy.py).
    """
    return torch_threads(1)


def check_src(src):
    if src.dim() != 2 or src.shape[1] == 0:
        raise ValueError(f"src는 비어 있지 않은 (B, S) 정수 텐서여야 합니다; 받은 모양: {tuple(src.shape)}")
