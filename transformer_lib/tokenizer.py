"""아주 작은 토크나이저(tokenizer)와 어휘(vocabulary). 한국어도 그대로 다룹니다.

- "word": 공백으로 자르고, 문장부호(. , ? !)는 따로 떼어 냅니다.  "나는 학교에 간다." → ["나는", "학교에", "간다", "."]
- "char": 글자(음절) 단위. 공백은 "▁"로 남깁니다.               "나는 간다" → ["나", "는", "▁", "간", "다"]
특수 토큰: PAD=0(패딩), BOS=1(문장 시작), EOS=2(문장 끝), UNK=3(모르는 단어).
"""
import re
from collections import Counter

PAD, BOS, EOS, UNK = "<pad>", "<bos>", "<eos>", "<unk>"
SPECIALS = [PAD, BOS, EOS, UNK]
PUNCT = re.compile(r"([.,?!])")


def split_tokens(text: str, mode: str = "word") -> list:
    """문장 → 토큰 목록."""
    if mode == "word":
        return PUNCT.sub(r" \1 ", text).split()
    if mode == "char":
        return ["▁" if ch == " " else ch for ch in " ".join(text.split())]
    raise ValueError(f"tokenize 모드는 'word' 또는 'char'여야 합니다; 받은 값: {mode!r}")


class Vocab:
    pad_id, bos_id, eos_id, unk_id = 0, 1, 2, 3

    def __init__(self, itos, mode: str = "word"):
        if list(itos[:4]) != SPECIALS:
            raise ValueError(f"어휘의 처음 네 토큰은 {SPECIALS}이어야 합니다")
        self.itos = list(itos)
        self.stoi = {tok: i for i, tok in enumerate(self.itos)}
        self.mode = mode

    @classmethod
    def build(cls, sentences, tokenize: str = "word", min_freq: int = 1):
        """문장 목록에서 어휘를 만듭니다. 자주 나온 순서(같으면 가나다순)로 번호를 붙입니다."""
        counts = Counter(tok for s in sentences for tok in split_tokens(s, tokenize))
        words = sorted((w for w, c in counts.items() if c >= min_freq), key=lambda w: (-counts[w], w))
        return cls(SPECIALS + [w for w in words if w not in SPECIALS], mode=tokenize)

    def __len__(self):
        return len(self.itos)

    def tokenize(self, text: str) -> list:
        return split_tokens(text, self.mode)

    def unknown_tokens(self, text: str) -> list:
        """어휘에 없는 토큰 목록(위젯에서 친절한 안내를 하는 데 씁니다)."""
        return [t for t in self.tokenize(text) if t not in self.stoi]

    def encode(self, text: str, add_bos: bool = False, add_eos: bool = False) -> list:
        ids = [self.stoi.get(t, self.unk_id) for t in self.tokenize(text)]
        return ([self.bos_id] if add_bos else []) + ids + ([self.eos_id] if add_eos else [])

    def decode(self, ids, skip_special: bool = True) -> str:
        toks = [self.itos[int(i)] for i in ids]
        if skip_special:
            toks = [t for t in toks if t not in SPECIALS]
        if self.mode == "char":
            return "".join(toks).replace("▁", " ")
        return re.sub(r" ([.,?!])", r"\1", " ".join(toks))

    def to_dict(self) -> dict:
        return {"itos": self.itos, "mode": self.mode}

    @classmethod
    def from_dict(cls, d: dict):
        return cls(d["itos"], d.get("mode", "word"))
