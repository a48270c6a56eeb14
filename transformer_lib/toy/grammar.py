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
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field

SEED = 2017  # "Attention Is All You Need"가 나온 해

# ---------------------------------------------------------------------------------------------------------------
# 어휘 표. 명사: (한국어, 영어, 종류). 영어 명사구에는 항상 "the"를 붙입니다(한국어에는 관사가 없으므로 규칙으로 정함).
# ---------------------------------------------------------------------------------------------------------------

# 대명사: 한국어, 영어 주격, 영어 목적격, 사람(1/2/3), 복수 여부, 주격 조사 "이/가"형(불규칙)
PRONOUNS = [
    ("나", "I", "me", 1, False, "내가"),
    ("너", "you", "you", 2, False, "네가"),
    ("그", "he", "him", 3, False, "그가"),
    ("그녀", "she", "her", 3, False, "그녀가"),
    ("우리", "we", "us", 1, True, "우리가"),
    ("그들", "they", "them", 3, True, "그들이"),
]

# 사람·동물 명사: (한국어, 영어, 종류, 복수 여부)
ANIMATE = [
    ("소년", "boy", "person", False),
    ("소녀", "girl", "person", False),
    ("남자", "man", "person", False),
    ("여자", "woman", "person", False),
    ("선생님", "teacher", "person", False),
    ("학생", "student", "person", False),
    ("의사", "doctor", "person", False),
    ("농부", "farmer", "person", False),
    ("요리사", "cook", "person", False),
    ("가수", "singer", "person", False),
    ("아기", "baby", "person", False),
    ("친구", "friend", "person", False),
    ("아이들", "children", "person", True),
    ("학생들", "students", "person", True),
    ("친구들", "friends", "person", True),
    ("고양이", "cat", "animal", False),
    ("개", "dog", "animal", False),
    ("강아지", "puppy", "animal", False),
    ("곰", "bear", "animal", False),
    ("토끼", "rabbit", "animal", False),
    ("원숭이", "monkey", "animal", False),
    ("오리", "duck", "animal", False),
    ("호랑이", "tiger", "animal", False),
]

THINGS = [
    # 먹을 것
    ("사과", "apple", "food"), ("빵", "bread", "food"), ("케이크", "cake", "food"), ("바나나", "banana", "food"),
    ("수박", "watermelon", "food"), ("사탕", "candy", "food"), ("국수", "noodles", "food"), ("생선", "fish", "food"),
    ("달걀", "egg", "food"), ("샌드위치", "sandwich", "food"),
    # 마실 것
    ("우유", "milk", "drink"), ("물", "water", "drink"), ("주스", "juice", "drink"), ("차", "tea", "drink"),
    ("커피", "coffee", "drink"),
    # 읽을 것
    ("책", "book", "read"), ("편지", "letter", "read"), ("신문", "newspaper", "read"), ("잡지", "magazine", "read"),
    ("시", "poem", "read"), ("이야기", "story", "read"),
    # 물건
    ("공", "ball", "thing"), ("상자", "box", "thing"), ("가방", "bag", "thing"), ("모자", "hat", "thing"),
    ("의자", "chair", "thing"), ("창문", "window", "thing"), ("문", "door", "thing"), ("컵", "cup", "thing"),
    ("자전거", "bicycle", "thing"), ("시계", "clock", "thing"), ("우산", "umbrella", "thing"),
    ("연필", "pencil", "thing"), ("그림", "picture", "thing"), ("장난감", "toy", "thing"), ("열쇠", "key", "thing"),
    ("꽃", "flower", "thing"),
]

# 형용사(관형형): (한국어, 영어, 꾸밀 수 있는 명사 종류)
ADJECTIVES = [
    ("큰", "big", {"thing", "animal", "person", "food"}),
    ("작은", "small", {"thing", "animal", "person", "food"}),
    ("빨간", "red", {"thing", "food"}),
    ("파란", "blue", {"thing"}),
    ("노란", "yellow", {"thing", "food"}),
    ("하얀", "white", {"thing", "animal"}),
    ("검은", "black", {"thing", "animal"}),
    ("새", "new", {"thing", "read"}),
    ("오래된", "old", {"thing", "read"}),
    ("예쁜", "pretty", {"thing", "person", "animal"}),
    ("무거운", "heavy", {"thing"}),
    ("비싼", "expensive", {"thing", "food", "read"}),
    ("싼", "cheap", {"thing", "food"}),
    ("더러운", "dirty", {"thing", "animal"}),
    ("깨끗한", "clean", {"thing"}),
    ("맛있는", "delicious", {"food", "drink"}),
    ("차가운", "cold", {"drink", "food"}),
    ("뜨거운", "hot", {"drink", "food"}),
    ("달콤한", "sweet", {"food", "drink"}),
    ("행복한", "happy", {"person", "animal"}),
    ("슬픈", "sad", {"person", "animal"}),
    ("귀여운", "cute", {"animal", "person"}),
    ("배고픈", "hungry", {"person", "animal"}),
    ("친절한", "kind", {"person"}),
    ("똑똑한", "smart", {"person", "animal"}),
    ("젊은", "young", {"person"}),
    ("재미있는", "funny", {"read", "person"}),
    ("긴", "long", {"read"}),
    ("짧은", "short", {"read"}),
]

# 동사: 한국어 (현재, 과거, 미래 관형형, 진행 -고) / 영어 (원형, 3인칭 단수 현재, 과거, -ing)
# objects: 목적어로 올 수 있는 명사 종류 (None이면 자동사), animal_ok: 동물이 주어가 될 수 있는가,
# progressive: 진행형(-고 있다 / is -ing)이 자연스러운가
@dataclass(frozen=True)
class Verb:
    ko: str            # 사전형 (보류 짝의 이름표로 씀)
    present: str
    past: str
    future: str        # 미래 관형형: 달릴 (것이다)
    cont: str          # 진행: 달리고 (있다)
    base: str
    s3: str
    ed: str
    ing: str
    objects: frozenset | None = None
    animal_ok: bool = True
    progressive: bool = True


def _v(ko, forms, en, objects=None, animal_ok=True, progressive=True):
    present, past, future, cont = forms.split()
    base, s3, ed, ing = (w.replace("_", " ") for w in en.split())
    return Verb(ko, present, past, future, cont, base, s3, ed, ing,
                frozenset(objects) if objects else None, animal_ok, progressive)


ANIM = {"person", "animal", "pronoun"}
VERBS = [
    # 자동사
    _v("달리다", "달린다 달렸다 달릴 달리고", "run runs ran running"),
    _v("자다", "잔다 잤다 잘 자고", "sleep sleeps slept sleeping"),
    _v("웃다", "웃는다 웃었다 웃을 웃고", "laugh laughs laughed laughing", animal_ok=False),
    _v("울다", "운다 울었다 울 울고", "cry cries cried crying"),
    _v("걷다", "걷는다 걸었다 걸을 걷고", "walk walks walked walking"),
    _v("춤추다", "춤춘다 춤췄다 춤출 춤추고", "dance dances danced dancing", animal_ok=False),
    _v("노래하다", "노래한다 노래했다 노래할 노래하고", "sing sings sang singing", animal_ok=False),
    _v("수영하다", "수영한다 수영했다 수영할 수영하고", "swim swims swam swimming"),
    _v("일하다", "일한다 일했다 일할 일하고", "work works worked working", animal_ok=False),
    _v("놀다", "논다 놀았다 놀 놀고", "play plays played playing"),
    _v("쉬다", "쉰다 쉬었다 쉴 쉬고", "rest rests rested resting"),
    _v("공부하다", "공부한다 공부했다 공부할 공부하고", "study studies studied studying", animal_ok=False),
    _v("앉다", "앉는다 앉았다 앉을 앉고", "sit sits sat sitting", progressive=False),
    _v("요리하다", "요리한다 요리했다 요리할 요리하고", "cook cooks cooked cooking", animal_ok=False),
    # 타동사
    _v("먹다", "먹는다 먹었다 먹을 먹고", "eat eats ate eating", {"food"}),
    _v("마시다", "마신다 마셨다 마실 마시고", "drink drinks drank drinking", {"drink"}),
    _v("읽다", "읽는다 읽었다 읽을 읽고", "read reads read reading", {"read"}, animal_ok=False),
    _v("쓰다", "쓴다 썼다 쓸 쓰고", "write writes wrote writing", {"편지", "시", "이야기"}, animal_ok=False),
    _v("보다", "본다 봤다 볼 보고", "see sees saw seeing", {"thing", "read", "food"} | ANIM, progressive=False),
    _v("사다", "산다 샀다 살 사고", "buy buys bought buying", {"food", "drink", "read", "thing"},
       animal_ok=False),
    _v("만들다", "만든다 만들었다 만들 만들고", "make makes made making", {"food", "thing"}, animal_ok=False),
    _v("좋아하다", "좋아한다 좋아했다 좋아할 좋아하고", "like likes liked liking",
       {"food", "drink", "read", "thing"} | ANIM, progressive=False),
    _v("찾다", "찾는다 찾았다 찾을 찾고", "find finds found finding", {"thing", "read", "food"} | ANIM,
       progressive=False),
    _v("씻다", "씻는다 씻었다 씻을 씻고", "wash washes washed washing", {"thing", "food"}, animal_ok=False),
    _v("던지다", "던진다 던졌다 던질 던지고", "throw throws threw throwing", {"thing"}, animal_ok=False),
    _v("잡다", "잡는다 잡았다 잡을 잡고", "catch catches caught catching", {"thing", "animal"}),
    _v("열다", "연다 열었다 열 열고", "open opens opened opening", {"thing", "read"}, animal_ok=False),
    _v("닫다", "닫는다 닫았다 닫을 닫고", "close closes closed closing", {"thing", "read"}, animal_ok=False),
    _v("고치다", "고친다 고쳤다 고칠 고치고", "fix fixes fixed fixing", {"thing"}, animal_ok=False),
    _v("가지다", "가진다 가졌다 가질 가지고", "have has had having", {"thing", "food", "read"}, animal_ok=False,
       progressive=False),
    _v("돕다", "돕는다 도왔다 도울 돕고", "help helps helped helping", ANIM, animal_ok=False),
    _v("기다리다", "기다린다 기다렸다 기다릴 기다리고", "wait_for waits_for waited_for waiting_for", ANIM),
    _v("그리다", "그린다 그렸다 그릴 그리고", "draw draws drew drawing", {"thing", "food"} | ANIM, animal_ok=False),
    _v("팔다", "판다 팔았다 팔 팔고", "sell sells sold selling", {"food", "drink", "read", "thing"}, animal_ok=False),
    _v("빌리다", "빌린다 빌렸다 빌릴 빌리고", "borrow borrows borrowed borrowing", {"thing", "read"},
       animal_ok=False),
    _v("안다", "안는다 안았다 안을 안고", "hug hugs hugged hugging", ANIM, animal_ok=False),
    _v("부르다", "부른다 불렀다 부를 부르고", "call calls called calling", ANIM, animal_ok=False),
    _v("가르치다", "가르친다 가르쳤다 가르칠 가르치고", "teach teaches taught teaching", {"person", "pronoun"},
       animal_ok=False),
]

PLACES = [
    ("공원에서", "in the park"), ("학교에서", "at school"), ("집에서", "at home"), ("도서관에서", "in the library"),
    ("부엌에서", "in the kitchen"), ("시장에서", "at the market"), ("바닷가에서", "on the beach"),
    ("정원에서", "in the garden"), ("식당에서", "in the restaurant"), ("교실에서", "in the classroom"),
    ("방에서", "in the room"), ("숲에서", "in the forest"),
]

# 시간 부사: (한국어, 영어, 어울리는 시제)
TENSES = ("present", "past", "future", "progressive")
TIMES = [
    ("어제", "yesterday", {"past"}),
    ("오늘", "today", set(TENSES)),
    ("내일", "tomorrow", {"future"}),
    ("지금", "now", {"present", "progressive"}),
    ("매일", "every day", {"present", "past"}),
    ("아침에", "in the morning", set(TENSES)),
    ("밤에", "at night", set(TENSES)),
]

MANNERS = [("빨리", "quickly"), ("천천히", "slowly"), ("조용히", "quietly"), ("행복하게", "happily"),
           ("조심스럽게", "carefully")]

OPTIONAL_SLOTS = ("time", "place", "with", "manner", "subj_adj", "obj_adj")


# ---------------------------------------------------------------------------------------------------------------
# 조사: 받침(final consonant)으로 고르기
# ---------------------------------------------------------------------------------------------------------------
def has_batchim(word: str) -> bool:
    """마지막 글자에 받침이 있으면 True. 한글 음절 = 0xAC00 + (초성×21 + 중성)×28 + 종성, 종성 0 = 받침 없음."""
    code = ord(word[-1]) - 0xAC00
    if not 0 <= code < 11172:
        raise ValueError(f"한글 음절로 끝나야 합니다: {word!r}")
    return code % 28 != 0


def particle(word: str, with_batchim: str, without: str) -> str:
    """받침이 있으면 with_batchim(은·이·을·과), 없으면 without(는·가·를·와)을 붙입니다."""
    return word + (with_batchim if has_batchim(word) else without)


# ---------------------------------------------------------------------------------------------------------------
# 명사구와 문장
# ---------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Noun:
    ko: str
    en: str          # 주격 (대명사면 I/he..., 명사면 "boy")
    en_obj: str      # 목적격 (me/him...), 명사면 en과 같음
    kind: str        # person/animal/pronoun/food/drink/read/thing
    person: int = 3
    plural: bool = False
    ko_subj_ga: str = ""  # 대명사의 불규칙 "이/가" 형

    @property
    def is_pronoun(self) -> bool:
        return self.kind == "pronoun"


NOUNS = (
    [Noun(ko, en, obj, "pronoun", p, pl, ga) for ko, en, obj, p, pl, ga in PRONOUNS]
    + [Noun(ko, en, en, kind, 3, pl) for ko, en, kind, pl in ANIMATE]
    + [Noun(ko, en, en, kind) for ko, en, kind in THINGS]
)
NOUN_BY_KO = {n.ko: n for n in NOUNS}
VERB_BY_KO = {v.ko: v for v in VERBS}
ADJ_BY_KO = {a[0]: a for a in ADJECTIVES}
SUBJECTS = [n for n in NOUNS if n.kind in ANIM]


def subject_can(noun: Noun, verb: Verb) -> bool:
    return noun.kind != "animal" or verb.animal_ok


def adj_can(adj, noun: Noun) -> bool:
    return noun.kind in adj[2]


def all_subject_verb_pairs():
    return [(n.ko, v.ko) for n in SUBJECTS for v in VERBS if subject_can(n, v)]


def all_adj_noun_pairs():
    return [(a[0], n.ko) for a in ADJECTIVES for n in NOUNS if not n.is_pronoun and adj_can(a, n)]


@dataclass(frozen=True)
class Example:
    """한 문장 쌍과 그것을 만든 선택들(분석용)."""
    ko: str
    en: str
    subject: str                 # 주어 머리 명사(한국어)
    verb: str                    # 동사 사전형
    tense: str
    adj_nouns: tuple = ()        # ((형용사, 명사), ...)
    slots: tuple = ()            # 채워진 선택 슬롯 이름들

    @property
    def pairs(self):
        return {("sv", self.subject, self.verb)} | {("an", a, n) for a, n in self.adj_nouns}


def _english_verb(verb: Verb, tense: str, subj: Noun) -> str:
    third_singular = subj.person == 3 and not subj.plural
    if tense == "present":
        return verb.s3 if third_singular else verb.base
    if tense == "past":
        return verb.ed
    if tense == "future":
        return "will " + verb.base
    be = "am" if (subj.person == 1 and not subj.plural) else ("is" if third_singular else "are")
    return f"{be} {verb.ing}"


def _korean_verb(verb: Verb, tense: str) -> str:
    return {"present": verb.present, "past": verb.past, "future": verb.future + " 것이다",
            "progressive": verb.cont + " 있다"}[tense]


def render(subj: Noun, verb: Verb, tense: str, *, obj: Noun | None = None, subj_adj=None, obj_adj=None,
           time=None, place=None, with_=None, manner=None, ga: bool = False, time_first: bool = True) -> Example:
    """선택들로 (한국어, 영어) 문장 쌍을 만듭니다. 결정적: 같은 선택이면 같은 문장."""
    # 한국어 (SOV)
    if subj.is_pronoun:
        subj_ko = subj.ko_subj_ga if ga else particle(subj.ko, "은", "는")
    else:
        subj_ko = particle(subj.ko, "이", "가") if ga else particle(subj.ko, "은", "는")
    if subj_adj:
        subj_ko = f"{subj_adj[0]} {subj_ko}"
    ko = []
    if time and time_first:
        ko.append(time[0])
    ko.append(subj_ko)
    if time and not time_first:
        ko.append(time[0])
    if place:
        ko.append(place[0])
    if with_:
        ko.append(particle(with_.ko, "과", "와") + " 함께")
    if obj:
        ko.append(((obj_adj[0] + " ") if obj_adj else "") + particle(obj.ko, "을", "를"))
    if manner:
        ko.append(manner[0])
    ko.append(_korean_verb(verb, tense))

    # 영어 (SVO)
    def np(n: Noun, adj, case_obj: bool) -> str:
        if n.is_pronoun:
            return n.en_obj if case_obj else n.en
        return "the " + ((adj[1] + " ") if adj else "") + n.en

    en = [np(subj, subj_adj, False), _english_verb(verb, tense, subj)]
    if obj:
        en.append(np(obj, obj_adj, True))
    if manner:
        en.append(manner[1])
    if with_:
        en.append("with " + np(with_, None, True))
    if place:
        en.append(place[1])
    if time:
        en.append(time[1])

    adj_nouns = tuple((a[0], n.ko) for a, n in ((subj_adj, subj), (obj_adj, obj)) if a)
    slots = tuple(s for s, v in zip(OPTIONAL_SLOTS, (time, place, with_, manner, subj_adj, obj_adj)) if v)
    return Example(" ".join(ko), " ".join(en), subj.ko, verb.ko, tense, adj_nouns, slots)


# ---------------------------------------------------------------------------------------------------------------
# 보류할 짝 고르기와 문장 뽑기
# ---------------------------------------------------------------------------------------------------------------
def _hold_out(pairs, fraction, rng):
    """짝의 fraction 이상을 보류하되, 짝을 이루는 낱말은 모두 학습 쪽 짝에 한 번 이상 남깁니다."""
    pairs = sorted(pairs)
    rng.shuffle(pairs)
    n_hold = -(-len(pairs) * fraction // 1)  # 올림
    held, kept = [], []
    left_count = {}
    for a, b in pairs:
        left_count[("L", a)] = left_count.get(("L", a), 0) + 1
        left_count[("R", b)] = left_count.get(("R", b), 0) + 1
    for a, b in pairs:
        # 이 짝을 보류해도 a와 b가 다른 짝으로 학습에 남는 경우에만 보류
        if len(held) < n_hold and left_count[("L", a)] > 1 and left_count[("R", b)] > 1:
            held.append((a, b))
            left_count[("L", a)] -= 1
            left_count[("R", b)] -= 1
        else:
            kept.append((a, b))
    return set(held), set(kept)


@dataclass
class ToyData:
    train: list
    valid: list
    test_unseen: list
    test_long: list
    heldout_subject_verb: set
    heldout_adj_noun: set
    seed: int
    max_train_len: tuple = field(default=(0, 0))  # (한국어 최대 토큰 수, 영어 최대 토큰 수), 공백 기준

    def summary(self) -> dict:
        return {
            "train": len(self.train), "valid": len(self.valid), "test_unseen": len(self.test_unseen),
            "test_long": len(self.test_long),
            "heldout_subject_verb": f"{len(self.heldout_subject_verb)}/{len(all_subject_verb_pairs())}",
            "heldout_adj_noun": f"{len(self.heldout_adj_noun)}/{len(all_adj_noun_pairs())}",
            "max_train_len(ko, en)": self.max_train_len,
        }


def object_can(verb: Verb, noun: Noun) -> bool:
    """목적어 자리: 동사의 objects에 명사의 종류(kind)나 명사 자체(한국어)가 들어 있어야 합니다."""
    return verb.objects is not None and (noun.kind in verb.objects or noun.ko in verb.objects)


class _Sampler:
    """문장 하나를 무작위로(그러나 rng로 결정적으로) 고릅니다. 자주 쓰는 후보 목록은 미리 만들어 둡니다."""

    def __init__(self, rng, held_sv, held_an):
        self.rng = rng
        self.held_sv, self.held_an = held_sv, held_an
        self.sv_all = [(s, v) for s in SUBJECTS for v in VERBS if subject_can(s, v)]
        self.sv_train = [(s, v) for s, v in self.sv_all if (s.ko, v.ko) not in held_sv]
        self.objects = {v.ko: [n for n in NOUNS if object_can(v, n)] for v in VERBS}
        self.adjs_all = {n.ko: [a for a in ADJECTIVES if adj_can(a, n)] for n in NOUNS if not n.is_pronoun}
        self.adjs_train = {k: [a for a in v if (a[0], k) not in held_an] for k, v in self.adjs_all.items()}
        self.tenses = {v.ko: [t for t in TENSES if t != "progressive" or v.progressive] for v in VERBS}
        self.times = {t: [x for x in TIMES if t in x[2]] for t in TENSES}

    def sample(self, n_optional, allow_held=False, force=None):
        """선택 슬롯 n_optional개를 채운 문장 하나. force=("sv", s, v) 또는 ("an", a, n)이면 그 짝을 꼭 넣습니다."""
        r = self.rng
        sv_ok = self.sv_all if allow_held else self.sv_train
        adjs = self.adjs_all if allow_held else self.adjs_train
        obj, subj_adj, obj_adj = None, None, None
        if force and force[0] == "sv":
            subj, verb = NOUN_BY_KO[force[1]], VERB_BY_KO[force[2]]
        elif force and force[0] == "an":
            noun, adj = NOUN_BY_KO[force[2]], ADJ_BY_KO[force[1]]
            as_subject = noun.kind in ANIM and r.random() < 0.5
            if as_subject:
                subj, verb = r.choice([(s, v) for s, v in sv_ok if s is noun])
                subj_adj = adj
            else:
                subj, verb = r.choice([(s, v) for s, v in sv_ok if s is not noun and object_can(v, noun)])
                obj, obj_adj = noun, adj
        else:
            subj, verb = r.choice(sv_ok)
        if verb.objects and obj is None:
            obj = r.choice([n for n in self.objects[verb.ko] if n is not subj])

        possible = ["time", "place", "with", "manner"]
        if not subj.is_pronoun and subj_adj is None:
            possible.append("subj_adj")
        if obj is not None and not obj.is_pronoun and obj_adj is None:
            possible.append("obj_adj")
        fixed = (subj_adj is not None) + (obj_adj is not None)
        chosen = set(r.sample(possible, max(0, min(n_optional - fixed, len(possible)))))

        tense = r.choice(self.tenses[verb.ko])
        kw = {}
        if "time" in chosen:
            kw["time"] = r.choice(self.times[tense])
            kw["time_first"] = r.random() < 0.5
        if "place" in chosen:
            kw["place"] = r.choice(PLACES)
        if "with" in chosen:
            kw["with_"] = r.choice([n for n in SUBJECTS if n is not subj and n is not obj])
        if "manner" in chosen:
            kw["manner"] = r.choice(MANNERS)
        if "subj_adj" in chosen:
            subj_adj = r.choice(adjs[subj.ko])
        if "obj_adj" in chosen:
            obj_adj = r.choice(adjs[obj.ko])
        return render(subj, verb, tense, obj=obj, subj_adj=subj_adj, obj_adj=obj_adj, ga=r.random() < 0.3, **kw)


def make_splits(seed: int = SEED, n_train: int = 24000, n_valid: int = 500, n_test: int = 1000,
                n_long: int = 500, heldout_fraction: float = 0.3, max_train_optional: int = 3) -> ToyData:
    """학습/검증/보류 조합/긴 문장 나누기를 만듭니다. 같은 인자면 언제나 같은 결과(결정적)."""
    rng = random.Random(seed)
    held_sv, _ = _hold_out(all_subject_verb_pairs(), heldout_fraction, rng)
    held_an, _ = _hold_out(all_adj_noun_pairs(), heldout_fraction, rng)
    s = _Sampler(rng, held_sv, held_an)

    def draw(n, make, exclude=frozenset()):
        out, seen = [], set(exclude)
        tries = 0
        while len(out) < n:
            tries += 1
            if tries > 50 * n + 1000:
                raise RuntimeError("문장을 충분히 뽑지 못했습니다 (grammar too small for the requested size)")
            ex = make()
            if ex is None or ex.ko in seen:
                continue
            seen.add(ex.ko)
            out.append(ex)
        return out

    train = draw(n_train, lambda: s.sample(rng.randint(0, max_train_optional)))
    train_ko = {e.ko for e in train}
    max_ko = max(len(e.ko.split()) for e in train)
    max_en = max(len(e.en.split()) for e in train)
    valid = draw(n_valid, lambda: s.sample(rng.randint(0, max_train_optional)), train_ko)

    held_list = sorted(("sv",) + p for p in held_sv) + sorted(("an",) + p for p in held_an)

    def unseen():
        return s.sample(rng.randint(0, max_train_optional), allow_held=True, force=rng.choice(held_list))

    test_unseen = draw(n_test, unseen, train_ko)

    def long():
        ex = s.sample(len(OPTIONAL_SLOTS))
        if len(ex.ko.split()) > max_ko and len(ex.en.split()) > max_en:
            return ex
        return None

    test_long = draw(n_long, long, train_ko)
    return ToyData(train, valid, test_unseen, test_long, held_sv, held_an, seed, (max_ko, max_en))


def token_set(examples, side: str) -> set:
    return {w for e in examples for w in getattr(e, side).split()}


if __name__ == "__main__":  # python -m transformer_lib.toy.grammar : 요약과 보기 몇 개
    d = make_splits()
    print(d.summary())
    for name in ("train", "test_unseen", "test_long"):
        print(f"--- {name}")
        for e in getattr(d, name)[:4]:
            print(f"  {e.ko}  →  {e.en}")
