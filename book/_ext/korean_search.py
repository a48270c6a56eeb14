"""책의 한국어 검색 언어: 조사를 떼어 낸 낱말로 색인하고, 검색어에서도 똑같이 떼어 냅니다.

Sphinx 에는 한국어 검색 언어가 없어서, 그대로 두면 색인에 "어텐션은", "헤드를" 처럼 조사가 붙은 채 들어가고
두 글자 검색어("헤드")는 부분 일치도 하지 않아 그 낱말을 쓴 페이지를 절반쯤 놓칩니다.

규칙(파이썬 `stem_ko` 와 브라우저 `bookStemKo` 가 같은 자료 KO_RULES 로 같은 일을 합니다):
1. 소문자로 바꿉니다.
2. 낱말 끝이 조사·접미사 목록(PARTICLES, 긴 것부터)의 하나이면 떼어 냅니다. 최대 두 번("헤드들의" → "헤드").
   - 남는 부분은 한글 음절이나 영문·숫자로 끝나야 합니다.
   - 한 음절 조사(은·는·이·가·을·를·의·에·와·과·로·만·들·별)를 떼려면 남는 부분이 두 글자 이상이거나
     한 글자 명사 목록(SINGLE_NOUNS: 키, 층, 값 …)에 있어야 합니다 — "길이", "결과", "주의" 가 잘리지 않게.
   - "도" 와 "인", "나" 는 목록에 없습니다: "정확도", "디자인", "하나" 처럼 낱말의 일부인 경우가 더 많습니다.
3. 남은 낱말이 영문이면 Sphinx 의 영어 검색과 같은 Porter 어간 추출을 합니다.

kiwipiepy(형태소 분석기, 약 117MB)와 비교: 측정은 tests/test_site.py 의 검색 테스트와 이 모듈의 주석 끝 참고.
"""
from __future__ import annotations

import json
import re

import snowballstemmer
from sphinx.search import SearchLanguage
from sphinx.search.en import english_stopwords, js_porter_stemmer

#: 떼어 낼 조사·접미사 (긴 것부터 맞춰 봅니다)
PARTICLES = sorted({
    # 한 음절
    "은", "는", "이", "가", "을", "를", "의", "에", "와", "과", "로", "만", "들", "별",
    # 두 음절 이상
    "에서", "에게", "으로", "에는", "에도", "에의", "까지", "부터", "처럼", "보다", "마다", "이나", "이랑",
    "라는", "이라는", "라고", "이라고", "이란", "와는", "과는", "와의", "과의", "와도", "과도", "이며", "이고",
    "이다", "입니다", "인데", "이면", "만큼", "만의", "만을", "만은", "만으로", "만이",
    "에서는", "에서도", "에서의", "에게는", "으로는", "으로도", "으로서", "으로써", "으로의", "에서부터",
    "까지의", "까지는", "부터는", "보다는", "처럼은",
}, key=lambda p: (-len(p), p))
ONE_SYLLABLE = {p for p in PARTICLES if len(p) == 1}
#: 한 글자 명사: 여기에 있으면 "키를" → "키" 처럼 한 음절 조사도 뗍니다
SINGLE_NOUNS = {"키", "층", "값", "합", "행", "열", "수", "식", "점", "축", "곱", "칸", "말", "글", "뜻", "줄", "쌍", "폭", "양"}

#: 브라우저 쪽 코드에 그대로 넣는 규칙 자료 (파이썬과 JS 가 같은 목록을 씀)
KO_RULES = {"particles": PARTICLES, "oneSyllable": sorted(ONE_SYLLABLE), "singleNouns": sorted(SINGLE_NOUNS)}

_END_OK = re.compile(r"[가-힣a-z0-9_]$")
_ASCII_WORD = re.compile(r"^[a-z0-9_]+$")


def strip_particles(word: str) -> str:
    """조사·접미사를 떼어 낸 낱말 (규칙 1–2)."""
    w = word.lower()
    for _ in range(2):
        for p in PARTICLES:
            if len(w) > len(p) and w.endswith(p):
                rest = w[: -len(p)]
                if not _END_OK.search(rest):
                    continue
                if p in ONE_SYLLABLE and len(rest) < 2 and rest not in SINGLE_NOUNS:
                    continue
                w = rest
                break
        else:
            break
    return w


_porter = snowballstemmer.stemmer("porter")


def stem_ko(word: str) -> str:
    """색인·검색에 쓰는 낱말 형태 (규칙 1–3)."""
    w = strip_particles(word)
    if _ASCII_WORD.match(w):
        return _porter.stemWord(w)
    return w


JS_STEMMER = (
    "/* 이 책의 한국어 검색: 조사 떼기 (book/_ext/korean_search.py 와 같은 규칙) + 영어 Porter 어간 */\n"
    + js_porter_stemmer.replace("var Stemmer = function()", "var PorterStemmer = function()", 1)
    + """
var BOOK_KO_RULES = %s;
function bookStripParticles(word) {
  var w = word.toLowerCase();
  var R = BOOK_KO_RULES;
  for (var round = 0; round < 2; round++) {
    var changed = false;
    for (var i = 0; i < R.particles.length; i++) {
      var p = R.particles[i];
      if (w.length > p.length && w.slice(-p.length) === p) {
        var rest = w.slice(0, -p.length);
        if (!/[가-힣a-z0-9_]$/.test(rest)) continue;
        if (R.oneSyllable.indexOf(p) >= 0 && rest.length < 2 && R.singleNouns.indexOf(rest) < 0) continue;
        w = rest;
        changed = true;
        break;
      }
    }
    if (!changed) break;
  }
  return w;
}
var Stemmer = function() {
  var porter = new PorterStemmer();
  this.stemWord = function(word) {
    var w = bookStripParticles(word);
    return /^[a-z0-9_]+$/.test(w) ? porter.stemWord(w) : w;
  };
};
""" % json.dumps(KO_RULES, ensure_ascii=False)
)


def rules_digest() -> str:
    """규칙(자료 + 이 파일)의 요약값: 규칙이 바뀌면 책 전체를 다시 색인하게 하는 데 씁니다."""
    import hashlib
    from pathlib import Path

    return hashlib.sha1(Path(__file__).read_bytes()).hexdigest()[:12]


class SearchKorean(SearchLanguage):
    """html_search_language = "ko" 로 쓰는 검색 언어 (book_offline.setup 이 등록)."""

    lang = "ko"
    language_name = "Korean"
    stopwords = english_stopwords   # 한국어 조사는 떼어 내므로 불용어는 영어 것만
    js_stemmer_code = JS_STEMMER

    def stem(self, word: str) -> str:
        return stem_ko(word)
