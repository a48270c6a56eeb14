"""문장 쌍 하나 만들기: 조사 고르기, 동사 활용, 어순(한국어 SOV ↔ 영어 SVO), 그리고 어떤 낱말끼리 어울리는지.

무작위는 없습니다. 같은 선택을 넘기면 언제나 같은 문장이 나옵니다(무작위로 고르는 일은 grammar.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import NamedTuple

from .lexicon import ADJECTIVES, NOUNS, SUBJECTS, VERBS, Adjective, Noun, Phrase, TimeWord, Verb

# 문장에 넣을 수도 빼도 되는 성분의 이름 (Example.slots에 채워진 것만 이 순서로 남음)
OPTIONAL_SLOTS = ("time", "place", "with", "manner", "subj_adj", "obj_adj")


# ---------------------------------------------------------------------------------------------------------------
# 조사: 받침(final consonant)으로 고르기
# ---------------------------------------------------------------------------------------------------------------
HANGUL_FIRST, HANGUL_COUNT = 0xAC00, 11172   # 가 … 힣
FINAL_CONSONANTS = 28                       # 종성 자리의 경우의 수 (0 = 받침 없음)


def has_batchim(word: str) -> bool:
    """마지막 글자에 받침이 있으면 True. 한글 음절 = 0xAC00 + (초성×21 + 중성)×28 + 종성, 종성 0 = 받침 없음."""
    index = ord(word[-1]) - HANGUL_FIRST
    if not 0 <= index < HANGUL_COUNT:
        raise ValueError(f"한글 음절로 끝나야 합니다: {word!r}")
    return index % FINAL_CONSONANTS != 0


def particle(word: str, with_batchim: str, without: str) -> str:
    """받침이 있으면 with_batchim(은·이·을·과), 없으면 without(는·가·를·와)을 붙입니다."""
    return word + (with_batchim if has_batchim(word) else without)


# ---------------------------------------------------------------------------------------------------------------
# 어울림: 어떤 주어·목적어·형용사가 어떤 동사·명사와 함께 올 수 있는가
# ---------------------------------------------------------------------------------------------------------------
def subject_can(noun: Noun, verb: Verb) -> bool:
    """주어 자리: 동물은 animal_subject인 동사의 주어만 됩니다."""
    return noun.kind != "animal" or verb.animal_subject


def object_can(verb: Verb, noun: Noun) -> bool:
    """목적어 자리: 동사의 objects에 명사의 종류(kind)나 명사 자체(한국어)가 들어 있어야 합니다."""
    return noun.kind in verb.objects or noun.ko in verb.objects


def adjective_fits(adjective: Adjective, noun: Noun) -> bool:
    return noun.kind in adjective.noun_kinds


def all_subject_verb_pairs() -> list[tuple[str, str]]:
    """만들 수 있는 (주어, 동사 사전형) 짝 전부. 순서: SUBJECTS 순, 그 안에서 VERBS 순."""
    return [(noun.ko, verb.ko) for noun in SUBJECTS for verb in VERBS if subject_can(noun, verb)]


def all_adj_noun_pairs() -> list[tuple[str, str]]:
    """만들 수 있는 (형용사, 명사) 짝 전부. 순서: ADJECTIVES 순, 그 안에서 NOUNS 순."""
    return [(adjective.ko, noun.ko) for adjective in ADJECTIVES for noun in NOUNS
            if not noun.is_pronoun and adjective_fits(adjective, noun)]


# ---------------------------------------------------------------------------------------------------------------
# 문장 쌍과 그 안의 짝
# ---------------------------------------------------------------------------------------------------------------
class PairKind(Enum):
    """보류(hold out)의 단위가 되는 낱말 짝의 종류."""

    SUBJECT_VERB = "주어–동사"
    ADJ_NOUN = "형용사–명사"


class WordPair(NamedTuple):
    """짝 하나: (종류, 앞말, 뒷말). 주어–동사면 (명사, 동사 사전형), 형용사–명사면 (형용사, 명사)."""

    kind: PairKind
    first: str
    second: str

    def __str__(self) -> str:
        return f"{self.first}+{self.second} ({self.kind.value})"


@dataclass(frozen=True)
class Example:
    """한 문장 쌍과 그것을 만든 선택들(분석용)."""

    ko: str
    en: str
    subject: str                 # 주어 머리 명사(한국어)
    verb: str                    # 동사 사전형
    tense: str
    adj_nouns: tuple = ()        # ((형용사, 명사), ...)
    slots: tuple = ()            # 채워진 선택 슬롯 이름들 (OPTIONAL_SLOTS의 순서)

    @property
    def pairs(self) -> set[WordPair]:
        """이 문장에 든 짝: 주어–동사 하나와 형용사–명사 0~2개."""
        subject_verb = WordPair(PairKind.SUBJECT_VERB, self.subject, self.verb)
        return {subject_verb} | {WordPair(PairKind.ADJ_NOUN, adj, noun) for adj, noun in self.adj_nouns}


# ---------------------------------------------------------------------------------------------------------------
# 낱말 모양 만들기
# ---------------------------------------------------------------------------------------------------------------
def _korean_verb(verb: Verb, tense: str) -> str:
    forms = verb.korean
    return {"present": forms.present, "past": forms.past, "future": forms.future_stem + " 것이다",
            "progressive": forms.progressive_stem + " 있다"}[tense]


def _english_verb(verb: Verb, tense: str, subject: Noun) -> str:
    """영어 동사는 주어와 일치합니다: I run / he runs, I am / he is / they are running."""
    forms = verb.english
    first_singular = subject.person == 1 and not subject.plural
    third_singular = subject.person == 3 and not subject.plural
    if tense == "present":
        return forms.third_singular if third_singular else forms.base
    if tense == "past":
        return forms.past
    if tense == "future":
        return "will " + forms.base
    be = "am" if first_singular else "is" if third_singular else "are"
    return f"{be} {forms.ing}"


def _korean_subject(noun: Noun, ga: bool) -> str:
    """주어 + 은/는 (ga면 이/가). 대명사의 이/가 형은 불규칙이라 표에 적힌 것을 씁니다(나 → 내가)."""
    if not ga:
        return particle(noun.ko, "은", "는")
    return noun.ko_subject if noun.is_pronoun else particle(noun.ko, "이", "가")


def _english_noun_phrase(noun: Noun, adjective: Adjective | None, as_object: bool) -> str:
    """대명사는 격에 맞게(he/him), 명사는 "the [형용사] 명사". 대명사에는 형용사를 붙이지 않습니다."""
    if noun.is_pronoun:
        return noun.en_object if as_object else noun.en
    if adjective is None:
        return f"the {noun.en}"
    return f"the {adjective.en} {noun.en}"


def _with_adjective(adjective: Adjective | None, korean_word: str) -> str:
    return korean_word if adjective is None else f"{adjective.ko} {korean_word}"


def render(subj: Noun, verb: Verb, tense: str, *, obj: Noun | None = None, subj_adj: Adjective | None = None,
           obj_adj: Adjective | None = None, time: TimeWord | None = None, place: Phrase | None = None,
           with_: Noun | None = None, manner: Phrase | None = None, ga: bool = False,
           time_first: bool = True) -> Example:
    """선택들로 (한국어, 영어) 문장 쌍을 만듭니다. 결정적: 같은 선택이면 같은 문장.

    ga: 주어에 은/는 대신 이/가. time_first: 시간 부사를 주어 앞에(아니면 바로 뒤에) 둡니다."""
    # 한국어 (SOV): [시간] 주어 [시간] [장소] [동반] [목적어] [방법] 동사
    korean = [_with_adjective(subj_adj, _korean_subject(subj, ga))]
    if time is not None:
        korean.insert(0 if time_first else 1, time.ko)
    if place is not None:
        korean.append(place.ko)
    if with_ is not None:
        korean.append(particle(with_.ko, "과", "와") + " 함께")
    if obj is not None:
        korean.append(_with_adjective(obj_adj, particle(obj.ko, "을", "를")))
    if manner is not None:
        korean.append(manner.ko)
    korean.append(_korean_verb(verb, tense))

    # 영어 (SVO): 주어 동사 [목적어] [방법] [with 동반] [장소] [시간]
    english = [_english_noun_phrase(subj, subj_adj, as_object=False), _english_verb(verb, tense, subj)]
    if obj is not None:
        english.append(_english_noun_phrase(obj, obj_adj, as_object=True))
    if manner is not None:
        english.append(manner.en)
    if with_ is not None:
        english.append("with " + _english_noun_phrase(with_, None, as_object=True))
    if place is not None:
        english.append(place.en)
    if time is not None:
        english.append(time.en)

    adj_nouns = tuple((adj.ko, noun.ko) for adj, noun in ((subj_adj, subj), (obj_adj, obj)) if adj is not None)
    filled = (time, place, with_, manner, subj_adj, obj_adj)          # OPTIONAL_SLOTS와 같은 순서
    slots = tuple(name for name, choice in zip(OPTIONAL_SLOTS, filled) if choice is not None)
    return Example(" ".join(korean), " ".join(english), subj.ko, verb.ko, tense, adj_nouns, slots)
