"""장난감 한국어→영어 번역 데이터: 작은 문법에서 문장 쌍을 결정적으로 만들어 냅니다.

데이터 파일 없이 코드와 시드(seed)만으로 같은 데이터가 다시 만들어집니다. 문법의 뼈대:

    한국어 (SOV): [시간] 주어-은/는·이/가 [장소-에서] [동반-와/과 함께] [목적어-을/를] [방법] 동사
    영어   (SVO): 주어 동사 [목적어] [방법] [with 동반] [장소] [시간]

- 조사는 앞말의 받침으로 고릅니다: 은/는, 이/가, 을/를, 와/과 (나→내가, 너→네가 같은 불규칙 포함).
- 영어 쪽은 주어와 동사의 일치(I run / he runs, I am running / he is running)와 격(me/him/them)을 지킵니다.
- 시제: 현재(달린다), 과거(달렸다), 미래(달릴 것이다), 현재 진행(달리고 있다). 시간 부사가 시제를 제한합니다
  (어제→과거, 내일→미래).

나누기(split):
- ``train``: 학습용. 아래 "보류한 짝"을 하나도 포함하지 않습니다.
- ``valid``: 학습과 같은 분포(본 적 있는 짝)의 새 문장.
- ``test_unseen``: **본 적 없는 조합**. 주어–동사 짝과 형용사–명사 짝을 각각 30 % 넘게 보류(hold out)하고,
  모든 문장이 보류한 짝을 하나 이상 포함합니다. 짝을 이루는 낱말 하나하나는 학습 데이터에 모두 나옵니다.
- ``test_long``: 학습의 어떤 문장보다도 (한국어·영어 양쪽 모두) 긴 문장. 짝은 모두 본 적 있는 것입니다.

세 파일로 나뉘어 있습니다: 어휘 표는 `lexicon.py`, 문장 하나를 조립하는 규칙은 `sentences.py`,
무작위로 뽑아 나누는 일은 이 파일. 장과 다른 모듈은 모두 이 파일(`grammar`)의 이름으로 씁니다.
"""
from __future__ import annotations

import math
import random
from collections import Counter
from dataclasses import dataclass

from .lexicon import (ADJ_BY_KO, ADJECTIVES, ANIMATE_KINDS, MANNERS, NOUN_BY_KO, NOUNS, PLACES, SUBJECTS, TENSES,
                      TIMES, VERB_BY_KO, VERBS)
from .sentences import (OPTIONAL_SLOTS, Example, PairKind, WordPair, adjective_fits, all_adj_noun_pairs,
                        all_subject_verb_pairs, has_batchim, object_can, particle, render, subject_can)

__all__ = [  # 장·테스트·다른 모듈이 grammar.X 로 쓰는 이름들 (어휘 표와 문장 규칙은 lexicon·sentences 에서 옴)
    "ADJ_BY_KO", "NOUN_BY_KO", "NOUNS", "OPTIONAL_SLOTS", "PLACES", "SEED", "TIMES", "VERB_BY_KO", "PairKind",
    "ToyData", "WordPair", "all_adj_noun_pairs", "all_subject_verb_pairs", "has_batchim", "make_splits",
    "object_can", "particle", "render", "token_set",
]

SEED = 2017  # "Attention Is All You Need"가 나온 해


# ---------------------------------------------------------------------------------------------------------------
# 보류할 짝 고르기
# ---------------------------------------------------------------------------------------------------------------
def _hold_out(pairs: list[tuple[str, str]], fraction: float, rng: random.Random) -> set[tuple[str, str]]:
    """짝의 fraction 이상을 보류하되, 짝을 이루는 낱말은 모두 학습 쪽 짝에 한 번 이상 남깁니다."""
    pairs = sorted(pairs)
    rng.shuffle(pairs)
    n_to_hold = math.ceil(len(pairs) * fraction)
    uses_of_first = Counter(first for first, _ in pairs)      # 아직 학습 쪽에 남은, 그 낱말이 든 짝의 수
    uses_of_second = Counter(second for _, second in pairs)
    held = []
    for first, second in pairs:
        # 이 짝을 보류해도 두 낱말이 다른 짝으로 학습에 남는 경우에만 보류
        if len(held) < n_to_hold and uses_of_first[first] > 1 and uses_of_second[second] > 1:
            held.append((first, second))
            uses_of_first[first] -= 1
            uses_of_second[second] -= 1
    return set(held)


def _as_word_pairs(held_subject_verb: set, held_adj_noun: set) -> list[WordPair]:
    """보류한 짝 전부를 한 목록으로: 주어–동사 짝(정렬 순) 다음에 형용사–명사 짝(정렬 순)."""
    return ([WordPair(PairKind.SUBJECT_VERB, noun, verb) for noun, verb in sorted(held_subject_verb)]
            + [WordPair(PairKind.ADJ_NOUN, adjective, noun) for adjective, noun in sorted(held_adj_noun)])


@dataclass
class ToyData:
    train: list
    valid: list
    test_unseen: list
    test_long: list
    heldout_subject_verb: set
    heldout_adj_noun: set
    seed: int
    max_train_len: tuple = (0, 0)  # (한국어 최대 토큰 수, 영어 최대 토큰 수), 공백 기준

    def heldout_pairs(self) -> list[WordPair]:
        """보류한 짝 전부(WordPair). Example.pairs와 바로 견줄 수 있습니다: ``e.pairs & set(data.heldout_pairs())``."""
        return _as_word_pairs(self.heldout_subject_verb, self.heldout_adj_noun)

    def summary(self) -> dict:
        return {
            "train": len(self.train), "valid": len(self.valid), "test_unseen": len(self.test_unseen),
            "test_long": len(self.test_long),
            "heldout_subject_verb": f"{len(self.heldout_subject_verb)}/{len(all_subject_verb_pairs())}",
            "heldout_adj_noun": f"{len(self.heldout_adj_noun)}/{len(all_adj_noun_pairs())}",
            "max_train_len(ko, en)": self.max_train_len,
        }


# ---------------------------------------------------------------------------------------------------------------
# 문장 하나 뽑기. 모든 무작위는 rng 하나에서 나오므로, 고르는 순서를 바꾸면 데이터 전체가 바뀝니다.
# ---------------------------------------------------------------------------------------------------------------
class _Sampler:
    """문장 하나를 무작위로(그러나 rng로 결정적으로) 고릅니다. 자주 쓰는 후보 목록은 미리 만들어 둡니다."""

    def __init__(self, rng: random.Random, held_subject_verb: set, held_adj_noun: set):
        self.rng = rng
        self.all_subject_verbs = [(s, v) for s in SUBJECTS for v in VERBS if subject_can(s, v)]
        self.train_subject_verbs = [(s, v) for s, v in self.all_subject_verbs
                                    if (s.ko, v.ko) not in held_subject_verb]
        self.objects_of = {v.ko: [n for n in NOUNS if object_can(v, n)] for v in VERBS}
        self.all_adjectives_of = {n.ko: [a for a in ADJECTIVES if adjective_fits(a, n)]
                                  for n in NOUNS if not n.is_pronoun}
        self.train_adjectives_of = {noun: [a for a in adjectives if (a.ko, noun) not in held_adj_noun]
                                    for noun, adjectives in self.all_adjectives_of.items()}
        self.tenses_of = {v.ko: [t for t in TENSES if t != "progressive" or v.has_progressive] for v in VERBS}
        self.times_for = {tense: [w for w in TIMES if tense in w.tenses] for tense in TENSES}

    def _core(self, subject_verbs: list, force: WordPair | None) -> tuple:
        """주어·동사와 (타동사면) 목적어. force가 형용사–명사 짝이면 그 명사를 주어나 목적어 자리에 둡니다.

        → (주어, 동사, 목적어, 주어의 형용사, 목적어의 형용사). 형용사는 force로 정해진 것만, 나머지는 None."""
        r = self.rng
        obj = subj_adj = obj_adj = None
        if force is None:
            subj, verb = r.choice(subject_verbs)
        elif force.kind is PairKind.SUBJECT_VERB:
            subj, verb = NOUN_BY_KO[force.first], VERB_BY_KO[force.second]
        else:
            adjective, noun = ADJ_BY_KO[force.first], NOUN_BY_KO[force.second]
            if noun.kind in ANIMATE_KINDS and r.random() < 0.5:       # 주어 자리
                subj, verb = r.choice([(s, v) for s, v in subject_verbs if s is noun])
                subj_adj = adjective
            else:                                                     # 목적어 자리
                subj, verb = r.choice([(s, v) for s, v in subject_verbs if s is not noun and object_can(v, noun)])
                obj, obj_adj = noun, adjective
        if verb.is_transitive and obj is None:
            obj = r.choice([n for n in self.objects_of[verb.ko] if n is not subj])
        return subj, verb, obj, subj_adj, obj_adj

    def sample(self, n_optional: int, allow_held: bool = False, force: WordPair | None = None) -> Example:
        """선택 슬롯 n_optional개를 채운 문장 하나. force(WordPair)를 주면 그 짝을 꼭 넣습니다."""
        r = self.rng
        subject_verbs = self.all_subject_verbs if allow_held else self.train_subject_verbs
        adjectives_of = self.all_adjectives_of if allow_held else self.train_adjectives_of
        subj, verb, obj, subj_adj, obj_adj = self._core(subject_verbs, force)

        possible = ["time", "place", "with", "manner"]
        if not subj.is_pronoun and subj_adj is None:
            possible.append("subj_adj")
        if obj is not None and not obj.is_pronoun and obj_adj is None:
            possible.append("obj_adj")
        already_filled = (subj_adj is not None) + (obj_adj is not None)
        chosen = set(r.sample(possible, max(0, min(n_optional - already_filled, len(possible)))))

        tense = r.choice(self.tenses_of[verb.ko])
        optional = {}
        if "time" in chosen:
            optional["time"] = r.choice(self.times_for[tense])
            optional["time_first"] = r.random() < 0.5
        if "place" in chosen:
            optional["place"] = r.choice(PLACES)
        if "with" in chosen:
            optional["with_"] = r.choice([n for n in SUBJECTS if n is not subj and n is not obj])
        if "manner" in chosen:
            optional["manner"] = r.choice(MANNERS)
        if "subj_adj" in chosen:
            subj_adj = r.choice(adjectives_of[subj.ko])
        if "obj_adj" in chosen:
            obj_adj = r.choice(adjectives_of[obj.ko])
        ga = r.random() < 0.3
        return render(subj, verb, tense, obj=obj, subj_adj=subj_adj, obj_adj=obj_adj, ga=ga, **optional)


def _draw_distinct(n: int, make, exclude=frozenset()) -> list[Example]:
    """make()를 불러 한국어 문장이 서로 다르고 exclude에 없는 예 n개를 모읍니다. make가 None이면 버립니다."""
    examples, seen = [], set(exclude)
    tries = 0
    while len(examples) < n:
        tries += 1
        if tries > 50 * n + 1000:
            raise RuntimeError("문장을 충분히 뽑지 못했습니다 (grammar too small for the requested size)")
        example = make()
        if example is None or example.ko in seen:
            continue
        seen.add(example.ko)
        examples.append(example)
    return examples


def make_splits(seed: int = SEED, n_train: int = 24000, n_valid: int = 500, n_test: int = 1000,
                n_long: int = 500, heldout_fraction: float = 0.3, max_train_optional: int = 3) -> ToyData:
    """학습/검증/보류 조합/긴 문장 나누기를 만듭니다. 같은 인자면 언제나 같은 결과(결정적)."""
    rng = random.Random(seed)
    held_subject_verb = _hold_out(all_subject_verb_pairs(), heldout_fraction, rng)
    held_adj_noun = _hold_out(all_adj_noun_pairs(), heldout_fraction, rng)
    sampler = _Sampler(rng, held_subject_verb, held_adj_noun)

    def seen_pairs_only():
        return sampler.sample(rng.randint(0, max_train_optional))

    train = _draw_distinct(n_train, seen_pairs_only)
    train_ko = {e.ko for e in train}
    max_ko = max(len(e.ko.split()) for e in train)
    max_en = max(len(e.en.split()) for e in train)
    valid = _draw_distinct(n_valid, seen_pairs_only, exclude=train_ko)

    held_pairs = _as_word_pairs(held_subject_verb, held_adj_noun)

    def with_a_held_pair():
        n_optional = rng.randint(0, max_train_optional)
        return sampler.sample(n_optional, allow_held=True, force=rng.choice(held_pairs))

    test_unseen = _draw_distinct(n_test, with_a_held_pair, exclude=train_ko)

    def longer_than_train():
        example = sampler.sample(len(OPTIONAL_SLOTS))
        if len(example.ko.split()) > max_ko and len(example.en.split()) > max_en:
            return example
        return None

    test_long = _draw_distinct(n_long, longer_than_train, exclude=train_ko)
    return ToyData(train, valid, test_unseen, test_long, held_subject_verb, held_adj_noun, seed, (max_ko, max_en))


def token_set(examples, side: str) -> set:
    """예들의 한쪽("ko" 또는 "en") 문장에 나오는 모든 토큰(공백으로 나눈 낱말)."""
    return {word for e in examples for word in getattr(e, side).split()}


if __name__ == "__main__":  # python -m transformer_lib.toy.grammar : 요약과 보기 몇 개
    d = make_splits()
    print(d.summary())
    for name in ("train", "test_unseen", "test_long"):
        print(f"--- {name}")
        for e in getattr(d, name)[:4]:
            print(f"  {e.ko}  →  {e.en}")
