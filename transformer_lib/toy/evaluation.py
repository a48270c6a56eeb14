"""장난감 번역기로 번역하고 평가하기: 탐욕적 디코딩(배치) 또는 빔 서치, 완전 일치(exact match)와 BLEU(sacrebleu).

추론은 스레드 1개로 합니다(transformer_lib.decoding.single_thread 참고).
"""
from __future__ import annotations

import torch

import transformer_lib as tl
from transformer_lib.decoding import max_decode_len, single_thread

from .data import pad, trim

BATCH = 500  # 탐욕적 디코딩을 한 번에 할 문장 수


@torch.no_grad()
def translate(model, src_vocab, tgt_vocab, sentences, beam_size: int = 0) -> list:
    """한국어 문장들 → 영어 문장들. beam_size=0이면 탐욕적 디코딩(배치), 아니면 빔 서치(문장마다 하나씩)."""
    model.eval()
    out = []
    with single_thread():
        for i in range(0, len(sentences), BATCH):
            chunk = sentences[i: i + BATCH]
            src = pad([src_vocab.encode(s) or [src_vocab.unk_id] for s in chunk], src_vocab.pad_id)   # (B, S)
            max_len = max_decode_len(src.shape[1], model.config.max_len)
            if beam_size:
                for j in range(len(chunk)):
                    row = trim(src[j: j + 1])                                                       # (1, S_j)
                    ys = tl.beam_search(model, row, tgt_vocab.bos_id, tgt_vocab.eos_id, max_len, beam_size)
                    out.append(_ids_to_text(ys[0], tgt_vocab))
            else:
                ys = tl.greedy_decode(model, src, tgt_vocab.bos_id, tgt_vocab.eos_id, max_len)      # (B, ≤ max_len)
                out.extend(_ids_to_text(row, tgt_vocab) for row in ys)
    return out


def _ids_to_text(ids, tgt_vocab) -> str:
    ids = ids.tolist()
    if tgt_vocab.eos_id in ids:
        ids = ids[: ids.index(tgt_vocab.eos_id)]
    return tgt_vocab.decode(ids)


def evaluate(model, src_vocab, tgt_vocab, examples) -> dict:
    """탐욕적 디코딩의 완전 일치 비율(exact match), 코퍼스 BLEU(sacrebleu), 번역문 목록, 틀린 예 목록."""
    import sacrebleu

    hyps = translate(model, src_vocab, tgt_vocab, [e.ko for e in examples])
    refs = [e.en for e in examples]
    correct = [h == r for h, r in zip(hyps, refs)]
    bleu = sacrebleu.corpus_bleu(hyps, [refs]).score if examples else float("nan")
    errors = [(e, h) for e, h, c in zip(examples, hyps, correct) if not c]
    return {"n": len(examples), "exact_match": sum(correct) / max(len(examples), 1), "bleu": bleu,
            "hypotheses": hyps, "errors": errors}
