"""장난감 문법의 어휘 표: 명사·대명사, 동사의 활용형, 형용사, 시간·장소·방법을 나타내는 말.

여기에는 데이터만 있습니다. 문장을 조립하는 규칙은 `sentences.py`(조사·활용·어순)에, 무작위로 뽑아 나누는
일은 `grammar.py`에 있습니다. 표의 **순서도 데이터의 일부**입니다: 무작위 선택이 목록의 순서를 따르므로
줄을 옮기거나 끼워 넣으면 만들어지는 문장이 모두 달라지고, 배포한 체크포인트와 장의 숫자가 더는 맞지 않습니다.
"""
from __future__ import annotations

from typing import NamedTuple

TENSES = ("present", "past", "future", "progressive")           # 현재, 과거, 미래, 현재 진행
ANIMATE_KINDS = frozenset({"person", "animal", "pronoun"})     # 주어가 될 수 있는 명사 종류


# ---------------------------------------------------------------------------------------------------------------
# 명사. 영어 명사구에는 항상 "the"를 붙입니다(한국어에는 관사가 없으므로 규칙으로 정함).
# ---------------------------------------------------------------------------------------------------------------
class Noun(NamedTuple):
    """명사 하나. 대명사도 같은 모양으로 적고, 대명사에만 있는 칸(인칭, 목적격, 불규칙 주격)을 더 채웁니다."""

    ko: str
    en: str                 # 영어. 대명사면 주격(I, he)
    kind: str               # person / animal / pronoun / food / drink / read / thing
    plural: bool = False
    person: int = 3         # 인칭. 대명사만 1인칭·2인칭이 될 수 있음
    en_object: str = ""     # 대명사의 영어 목적격 (me, him)
    ko_subject: str = ""    # 대명사의 "이/가" 주격. 불규칙이라 표에 적어 둠 (나 → 내가, 너 → 네가)

    @property
    def is_pronoun(self) -> bool:
        return self.kind == "pronoun"


PRONOUNS = [
    Noun("나", "I", "pronoun", person=1, en_object="me", ko_subject="내가"),
    Noun("너", "you", "pronoun", person=2, en_object="you", ko_subject="네가"),
    Noun("그", "he", "pronoun", en_object="him", ko_subject="그가"),
    Noun("그녀", "she", "pronoun", en_object="her", ko_subject="그녀가"),
    Noun("우리", "we", "pronoun", plural=True, person=1, en_object="us", ko_subject="우리가"),
    Noun("그들", "they", "pronoun", plural=True, en_object="them", ko_subject="그들이"),
]

PEOPLE_AND_ANIMALS = [
    Noun("소년", "boy", "person"), Noun("소녀", "girl", "person"), Noun("남자", "man", "person"),
    Noun("여자", "woman", "person"), Noun("선생님", "teacher", "person"), Noun("학생", "student", "person"),
    Noun("의사", "doctor", "person"), Noun("농부", "farmer", "person"), Noun("요리사", "cook", "person"),
    Noun("가수", "singer", "person"), Noun("아기", "baby", "person"), Noun("친구", "friend", "person"),
    Noun("아이들", "children", "person", plural=True), Noun("학생들", "students", "person", plural=True),
    Noun("친구들", "friends", "person", plural=True),
    Noun("고양이", "cat", "animal"), Noun("개", "dog", "animal"), Noun("강아지", "puppy", "animal"),
    Noun("곰", "bear", "animal"), Noun("토끼", "rabbit", "animal"), Noun("원숭이", "monkey", "animal"),
    Noun("오리", "duck", "animal"), Noun("호랑이", "tiger", "animal"),
]

THINGS = [
    # 먹을 것
    Noun("사과", "apple", "food"), Noun("빵", "bread", "food"), Noun("케이크", "cake", "food"),
    Noun("바나나", "banana", "food"), Noun("수박", "watermelon", "food"), Noun("사탕", "candy", "food"),
    Noun("국수", "noodles", "food"), Noun("생선", "fish", "food"), Noun("달걀", "egg", "food"),
    Noun("샌드위치", "sandwich", "food"),
    # 마실 것
    Noun("우유", "milk", "drink"), Noun("물", "water", "drink"), Noun("주스", "juice", "drink"),
    Noun("차", "tea", "drink"), Noun("커피", "coffee", "drink"),
    # 읽을 것
    Noun("책", "book", "read"), Noun("편지", "letter", "read"), Noun("신문", "newspaper", "read"),
    Noun("잡지", "magazine", "read"), Noun("시", "poem", "read"), Noun("이야기", "story", "read"),
    # 물건
    Noun("공", "ball", "thing"), Noun("상자", "box", "thing"), Noun("가방", "bag", "thing"),
    Noun("모자", "hat", "thing"), Noun("의자", "chair", "thing"), Noun("창문", "window", "thing"),
    Noun("문", "door", "thing"), Noun("컵", "cup", "thing"), Noun("자전거", "bicycle", "thing"),
    Noun("시계", "clock", "thing"), Noun("우산", "umbrella", "thing"), Noun("연필", "pencil", "thing"),
    Noun("그림", "picture", "thing"), Noun("장난감", "toy", "thing"), Noun("열쇠", "key", "thing"),
    Noun("꽃", "flower", "thing"),
]


# ---------------------------------------------------------------------------------------------------------------
# 형용사(관형형)
# ---------------------------------------------------------------------------------------------------------------
class Adjective(NamedTuple):
    ko: str                 # 관형형: 큰, 빨간
    en: str
    noun_kinds: frozenset   # 꾸밀 수 있는 명사 종류


ADJECTIVES = [
    # 크기
    Adjective("큰", "big", frozenset({"thing", "animal", "person", "food"})),
    Adjective("작은", "small", frozenset({"thing", "animal", "person", "food"})),
    # 색
    Adjective("빨간", "red", frozenset({"thing", "food"})),
    Adjective("파란", "blue", frozenset({"thing"})),
    Adjective("노란", "yellow", frozenset({"thing", "food"})),
    Adjective("하얀", "white", frozenset({"thing", "animal"})),
    Adjective("검은", "black", frozenset({"thing", "animal"})),
    # 물건의 상태·값
    Adjective("새", "new", frozenset({"thing", "read"})),
    Adjective("오래된", "old", frozenset({"thing", "read"})),
    Adjective("예쁜", "pretty", frozenset({"thing", "person", "animal"})),
    Adjective("무거운", "heavy", frozenset({"thing"})),
    Adjective("비싼", "expensive", frozenset({"thing", "food", "read"})),
    Adjective("싼", "cheap", frozenset({"thing", "food"})),
    Adjective("더러운", "dirty", frozenset({"thing", "animal"})),
    Adjective("깨끗한", "clean", frozenset({"thing"})),
    # 맛·온도
    Adjective("맛있는", "delicious", frozenset({"food", "drink"})),
    Adjective("차가운", "cold", frozenset({"drink", "food"})),
    Adjective("뜨거운", "hot", frozenset({"drink", "food"})),
    Adjective("달콤한", "sweet", frozenset({"food", "drink"})),
    # 사람·동물의 마음과 됨됨이
    Adjective("행복한", "happy", frozenset({"person", "animal"})),
    Adjective("슬픈", "sad", frozenset({"person", "animal"})),
    Adjective("귀여운", "cute", frozenset({"animal", "person"})),
    Adjective("배고픈", "hungry", frozenset({"person", "animal"})),
    Adjective("친절한", "kind", frozenset({"person"})),
    Adjective("똑똑한", "smart", frozenset({"person", "animal"})),
    Adjective("젊은", "young", frozenset({"person"})),
    # 읽을 것
    Adjective("재미있는", "funny", frozenset({"read", "person"})),
    Adjective("긴", "long", frozenset({"read"})),
    Adjective("짧은", "short", frozenset({"read"})),
]


# ---------------------------------------------------------------------------------------------------------------
# 동사: 한국어 네 모양, 영어 네 모양, 그리고 어떤 주어·목적어와 어울리는지
# ---------------------------------------------------------------------------------------------------------------
class KoreanForms(NamedTuple):
    present: str            # 달린다
    past: str               # 달렸다
    future_stem: str        # 달릴   → "달릴 것이다"
    progressive_stem: str   # 달리고 → "달리고 있다"


class EnglishForms(NamedTuple):
    base: str               # run     (I run, will run)
    third_singular: str     # runs    (he runs)
    past: str               # ran
    ing: str                # running (is running)


class Verb(NamedTuple):
    ko: str                 # 사전형 (보류한 짝의 이름표로 씀)
    korean: KoreanForms
    english: EnglishForms
    objects: frozenset      # 목적어로 올 수 있는 명사 종류나 낱말. 비어 있으면 자동사
    animal_subject: bool    # 동물이 주어가 될 수 있는가
    has_progressive: bool   # 진행형(-고 있다 / is -ing)이 자연스러운가

    @property
    def is_transitive(self) -> bool:
        return bool(self.objects)


def _verb(ko: str, korean: tuple, english: tuple, objects=(), *, animal_subject: bool = True,
          has_progressive: bool = True) -> Verb:
    """표의 한 줄 → Verb. korean = (현재, 과거, 미래 관형형, 진행 -고), english = (원형, 3인칭 단수, 과거, -ing)."""
    return Verb(ko, KoreanForms(*korean), EnglishForms(*english), frozenset(objects), animal_subject,
                has_progressive)


VERBS = [
    # 자동사
    _verb("달리다", ("달린다", "달렸다", "달릴", "달리고"), ("run", "runs", "ran", "running")),
    _verb("자다", ("잔다", "잤다", "잘", "자고"), ("sleep", "sleeps", "slept", "sleeping")),
    _verb("웃다", ("웃는다", "웃었다", "웃을", "웃고"), ("laugh", "laughs", "laughed", "laughing"),
          animal_subject=False),
    _verb("울다", ("운다", "울었다", "울", "울고"), ("cry", "cries", "cried", "crying")),
    _verb("걷다", ("걷는다", "걸었다", "걸을", "걷고"), ("walk", "walks", "walked", "walking")),
    _verb("춤추다", ("춤춘다", "춤췄다", "춤출", "춤추고"), ("dance", "dances", "danced", "dancing"),
          animal_subject=False),
    _verb("노래하다", ("노래한다", "노래했다", "노래할", "노래하고"), ("sing", "sings", "sang", "singing"),
          animal_subject=False),
    _verb("수영하다", ("수영한다", "수영했다", "수영할", "수영하고"), ("swim", "swims", "swam", "swimming")),
    _verb("일하다", ("일한다", "일했다", "일할", "일하고"), ("work", "works", "worked", "working"),
          animal_subject=False),
    _verb("놀다", ("논다", "놀았다", "놀", "놀고"), ("play", "plays", "played", "playing")),
    _verb("쉬다", ("쉰다", "쉬었다", "쉴", "쉬고"), ("rest", "rests", "rested", "resting")),
    _verb("공부하다", ("공부한다", "공부했다", "공부할", "공부하고"), ("study", "studies", "studied", "studying"),
          animal_subject=False),
    _verb("앉다", ("앉는다", "앉았다", "앉을", "앉고"), ("sit", "sits", "sat", "sitting"), has_progressive=False),
    _verb("요리하다", ("요리한다", "요리했다", "요리할", "요리하고"), ("cook", "cooks", "cooked", "cooking"),
          animal_subject=False),
    # 타동사: 넷째 칸은 목적어로 올 수 있는 명사 종류나 낱말
    _verb("먹다", ("먹는다", "먹었다", "먹을", "먹고"), ("eat", "eats", "ate", "eating"), {"food"}),
    _verb("마시다", ("마신다", "마셨다", "마실", "마시고"), ("drink", "drinks", "drank", "drinking"), {"drink"}),
    _verb("읽다", ("읽는다", "읽었다", "읽을", "읽고"), ("read", "reads", "read", "reading"),
          {"read"}, animal_subject=False),
    _verb("쓰다", ("쓴다", "썼다", "쓸", "쓰고"), ("write", "writes", "wrote", "writing"), {"편지", "시", "이야기"},
          animal_subject=False),
    _verb("보다", ("본다", "봤다", "볼", "보고"), ("see", "sees", "saw", "seeing"),
          {"thing", "read", "food"} | ANIMATE_KINDS, has_progressive=False),
    _verb("사다", ("산다", "샀다", "살", "사고"), ("buy", "buys", "bought", "buying"),
          {"food", "drink", "read", "thing"}, animal_subject=False),
    _verb("만들다", ("만든다", "만들었다", "만들", "만들고"), ("make", "makes", "made", "making"),
          {"food", "thing"}, animal_subject=False),
    _verb("좋아하다", ("좋아한다", "좋아했다", "좋아할", "좋아하고"), ("like", "likes", "liked", "liking"),
          {"food", "drink", "read", "thing"} | ANIMATE_KINDS, has_progressive=False),
    _verb("찾다", ("찾는다", "찾았다", "찾을", "찾고"), ("find", "finds", "found", "finding"),
          {"thing", "read", "food"} | ANIMATE_KINDS, has_progressive=False),
    _verb("씻다", ("씻는다", "씻었다", "씻을", "씻고"), ("wash", "washes", "washed", "washing"),
          {"thing", "food"}, animal_subject=False),
    _verb("던지다", ("던진다", "던졌다", "던질", "던지고"), ("throw", "throws", "threw", "throwing"), {"thing"},
          animal_subject=False),
    _verb("잡다", ("잡는다", "잡았다", "잡을", "잡고"), ("catch", "catches", "caught", "catching"),
          {"thing", "animal"}),
    _verb("열다", ("연다", "열었다", "열", "열고"), ("open", "opens", "opened", "opening"), {"thing", "read"},
          animal_subject=False),
    _verb("닫다", ("닫는다", "닫았다", "닫을", "닫고"), ("close", "closes", "closed", "closing"), {"thing", "read"},
          animal_subject=False),
    _verb("고치다", ("고친다", "고쳤다", "고칠", "고치고"), ("fix", "fixes", "fixed", "fixing"), {"thing"},
          animal_subject=False),
    _verb("가지다", ("가진다", "가졌다", "가질", "가지고"), ("have", "has", "had", "having"),
          {"thing", "food", "read"}, animal_subject=False, has_progressive=False),
    _verb("돕다", ("돕는다", "도왔다", "도울", "돕고"), ("help", "helps", "helped", "helping"), ANIMATE_KINDS,
          animal_subject=False),
    _verb("기다리다", ("기다린다", "기다렸다", "기다릴", "기다리고"),
          ("wait for", "waits for", "waited for", "waiting for"), ANIMATE_KINDS),
    _verb("그리다", ("그린다", "그렸다", "그릴", "그리고"), ("draw", "draws", "drew", "drawing"),
          {"thing", "food"} | ANIMATE_KINDS, animal_subject=False),
    _verb("팔다", ("판다", "팔았다", "팔", "팔고"), ("sell", "sells", "sold", "selling"),
          {"food", "drink", "read", "thing"}, animal_subject=False),
    _verb("빌리다", ("빌린다", "빌렸다", "빌릴", "빌리고"), ("borrow", "borrows", "borrowed", "borrowing"),
          {"thing", "read"}, animal_subject=False),
    _verb("안다", ("안는다", "안았다", "안을", "안고"), ("hug", "hugs", "hugged", "hugging"), ANIMATE_KINDS,
          animal_subject=False),
    _verb("부르다", ("부른다", "불렀다", "부를", "부르고"), ("call", "calls", "called", "calling"), ANIMATE_KINDS,
          animal_subject=False),
    _verb("가르치다", ("가르친다", "가르쳤다", "가르칠", "가르치고"), ("teach", "teaches", "taught", "teaching"),
          {"person", "pronoun"}, animal_subject=False),
]


# ---------------------------------------------------------------------------------------------------------------
# 시간·장소·방법: 한국어 한 덩어리가 영어 한 덩어리로 옮겨지는 말
# ---------------------------------------------------------------------------------------------------------------
class Phrase(NamedTuple):
    ko: str
    en: str


class TimeWord(NamedTuple):
    ko: str
    en: str
    tenses: frozenset       # 어울리는 시제 (어제 → 과거만)


PLACES = [
    Phrase("공원에서", "in the park"), Phrase("학교에서", "at school"), Phrase("집에서", "at home"),
    Phrase("도서관에서", "in the library"), Phrase("부엌에서", "in the kitchen"), Phrase("시장에서", "at the market"),
    Phrase("바닷가에서", "on the beach"), Phrase("정원에서", "in the garden"),
    Phrase("식당에서", "in the restaurant"), Phrase("교실에서", "in the classroom"), Phrase("방에서", "in the room"),
    Phrase("숲에서", "in the forest"),
]

TIMES = [
    TimeWord("어제", "yesterday", frozenset({"past"})),
    TimeWord("오늘", "today", frozenset(TENSES)),
    TimeWord("내일", "tomorrow", frozenset({"future"})),
    TimeWord("지금", "now", frozenset({"present", "progressive"})),
    TimeWord("매일", "every day", frozenset({"present", "past"})),
    TimeWord("아침에", "in the morning", frozenset(TENSES)),
    TimeWord("밤에", "at night", frozenset(TENSES)),
]

MANNERS = [Phrase("빨리", "quickly"), Phrase("천천히", "slowly"), Phrase("조용히", "quietly"),
           Phrase("행복하게", "happily"), Phrase("조심스럽게", "carefully")]


# ---------------------------------------------------------------------------------------------------------------
# 찾아보기 표
# ---------------------------------------------------------------------------------------------------------------
NOUNS = PRONOUNS + PEOPLE_AND_ANIMALS + THINGS
SUBJECTS = [noun for noun in NOUNS if noun.kind in ANIMATE_KINDS]
NOUN_BY_KO = {noun.ko: noun for noun in NOUNS}
VERB_BY_KO = {verb.ko: verb for verb in VERBS}
ADJ_BY_KO = {adjective.ko: adjective for adjective in ADJECTIVES}
