"""장난감 번역기의 데이터 → 텐서: 어휘, 패딩한 배치, 교사 강요용 정답, 끝없는 배치 순서.

모양: src (N, S) = 한국어 토큰 번호, tgt (N, T+2) = <bos> 영어 <eos>. 남는 자리는 pad_id(0).
"""
from __future__ import annotations

import torch
from torch.nn.utils.rnn import pad_sequence

import transformer_lib as tl


def build_vocabs(examples):
    """학습 문장으로 한국어(원문)·영어(번역문) 어휘를 만듭니다 (공백 단위 토큰)."""
    return tl.Vocab.build([e.ko for e in examples]), tl.Vocab.build([e.en for e in examples])


def pad(seqs, pad_id: int) -> torch.Tensor:
    """길이가 다른 정수 목록들 → (B, T_max) 텐서, 남는 자리는 pad_id."""
    return pad_sequence([torch.tensor(s, dtype=torch.long) for s in seqs], batch_first=True, padding_value=pad_id)


def encode_examples(examples, src_vocab, tgt_vocab):
    """→ src (N, S), tgt (N, T+2) = <bos> 영어 <eos>. 교사 강요에서 tgt[:, :-1]이 입력, tgt[:, 1:]이 목표."""
    src = pad([src_vocab.encode(e.ko) for e in examples], src_vocab.pad_id)
    tgt = pad([tgt_vocab.encode(e.en, add_bos=True, add_eos=True) for e in examples], tgt_vocab.pad_id)
    return src, tgt


def trim(x: torch.Tensor, pad_id: int = 0) -> torch.Tensor:
    """배치 안에서 모두 패딩인 오른쪽 열을 잘라 냅니다(계산 절약). (B, T) → (B, T')"""
    keep = int((x != pad_id).sum(dim=1).max())
    return x[:, :keep]


def global_batches(n: int, batch_size: int, seed: int):
    """예문 번호의 전체 배치 (batch_size,)를 끝없이 내놓습니다. 한 바퀴(epoch)를 다 돌면 다시 섞습니다.

    시드가 같으면 순서도 같으므로, 여러 프로세스가 따로 불러도 모두 같은 전체 배치를 봅니다."""
    gen = torch.Generator().manual_seed(seed)
    order, pos = torch.randperm(n, generator=gen), 0
    while True:
        if pos + batch_size > n:
            order, pos = torch.randperm(n, generator=gen), 0
        yield order[pos: pos + batch_size]
        pos += batch_size
