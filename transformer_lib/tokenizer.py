"""아주 작은 토크나이저(tokenizer)와 어휘(vocabulary). 한국어도 그대로 다룹니다.

공백으로 자르고, 문장부호(. , ? !)는 따로 떼어 냅니다.  "나는 학교에 간다." → ["나는", "학교에", "간다", "."]
특수 토큰: PAD=0(패딩), BOS=1(문장 시작), EOS=2(문장 끝), UNK=3(모르는 단어).
"""
import re
from collections import Counter

PAD, BOS, EOS, UNK = "<pad>", "<bos>", "<eos>", "<unk>"
SPECIALS = [PAD, BOS, EOS, UNK]
PUNCT = re.compile(r"([.,?!])")


def split_tokens(text: str) -> list:
    """문장 → 토큰 목록."""
    return PUNCT.sub(r" \1 ", text).split()


class Vocab:
    pad_id, bos_id, eos_id, unk_id = 0, 1, 2, 3

    def __init__(self, itos):
        if list(itos[:4]) != SPECIALS:
            raise ValueError(f"어휘의 처음 네 토큰은 {SPECIALS}이어야 합니다; 받은 값: {list(itos[:4])}")
        self.itos = list(itos)
        self.stoi = {tok: i for i, tok in enumerate(self.itos)}

    @classmethod
    def build(cls, sentences):
        """문장 목록에서 어휘를 만듭니다. 자주 나온 순서(같으면 가나다순)로 번호를 붙입니다."""
        counts = Counter(tok for s in sentences for tok in split_tokens(s))
        words = sorted(counts, key=lambda w: (-counts[w], w))
        return cls(SPECIALS + [w for w in words if w not in SPECIALS])

    def __len__(self):
        return len(self.itos)

    def encode(self, text: str, add_bos: bool = False, add_eos: bool = False) -> list:
        ids = [self.stoi.get(t, self.unk_id) for t in split_tokens(text)]
        return ([self.bos_id] if add_bos else []) + ids + ([self.eos_id] if add_eos else [])

    def decode(self, ids) -> str:
        """번호 목록 → 문장. 특수 토큰은 건너뛰고, 문장부호는 앞 단어에 붙입니다."""
        toks = [self.itos[int(i)] for i in ids if self.itos[int(i)] not in SPECIALS]
        return re.sub(r" ([.,?!])", r"\1", " ".join(toks))

    def to_dict(self) -> dict:
        return {"itos": self.itos}

    @classmethod
    def from_dict(cls, d: dict):
        return cls(d["itos"])
