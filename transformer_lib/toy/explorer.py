"""학습된 장난감 번역기의 어텐션 탐색기(attention explorer).

- ``Explorer``: 백엔드. 한국어 문장 → 번역 + 모든 층·헤드의 어텐션 가중치. 잘못된 입력(빈 문장, 한국어가 아님,
  모르는 단어, 너무 긴 문장)에는 예외 대신 친절한 한국어 안내를 돌려줍니다. 같은 문장은 다시 계산하지 않습니다(캐시).
- ``Explorer.widget()``: ipywidgets 화면(문장 입력, 종류·층·헤드 선택, 번역, 히트맵). Jupyter와 Colab에서 씁니다.
  히트맵은 HTML 표로 그려서(그림 파일을 다시 만들지 않음) 한 번 바꾸는 데 몇 밀리초면 됩니다.
- ``attention_figure(...)``: 커널이 없는 정적 사이트용. 예문 몇 개의 어텐션을 미리 계산해 드롭다운
  (문장·종류·층·헤드)이 있는 plotly 그림으로 만듭니다(그리기 코드는 explorer_figures.py).
번역과 지도는 라이브러리의 디코더(transformer_lib.decoding.greedy_steps)가 만듭니다.

어텐션 지도의 규칙: 행 = 쿼리(query, 보는 쪽), 열 = 키(key, 보이는 쪽). 디코더 쪽 행에는 그 위치에서 **만들어 내는**
영어 토큰을 적습니다(예: "eats" 행 = 디코더가 "eats"를 내놓는 순간의 어텐션). 디코더 셀프 어텐션의 열은 그 순간까지
디코더에 들어간 토큰(<bos>, 앞서 만든 단어들)입니다.
"""
from __future__ import annotations

import functools
import html
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import torch

from ..decoding import greedy_steps, max_decode_len, single_thread
from ..tokenizer import SPECIALS

# 안내 문구는 파이썬 탐색기와 책 사이트의 브라우저 탐색기(book/assets/live/)가 함께 쓰는 표 하나에 있습니다.
MESSAGES_FILE = Path(__file__).with_name("messages.json")
MESSAGES = json.loads(MESSAGES_FILE.read_text(encoding="utf-8"))


def msg(key: str, **values) -> str:
    """안내 문구 표(messages.json)의 문구에 값을 채웁니다. 브라우저 쪽 fill()과 같은 규칙: {이름} → 값."""
    return re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), MESSAGES[key])


KINDS = {k: MESSAGES[f"kind_{k}"] for k in ("cross", "encoder", "decoder")}
EXAMPLE = MESSAGES["example_sentence"]
HANGUL = re.compile(r"[가-힣]")
PUNCT = re.compile(r"[.,?!·…\"'“”‘’()]")    # 지우는 문장부호 (브라우저 쪽 PUNCT와 같음)
SYMBOL = re.compile(r"[^가-힣A-Za-z0-9]")     # 토큰 안에서 한글·영문·숫자가 아닌 글자 = 기호 (이모지 등)
CHARS_PER_TOKEN = 12                         # 글자 수 한도 = 토큰 한도 × 이만큼


def similarity(a: str, b: str) -> float:
    """1 − 편집 거리 / 긴 쪽 길이. 브라우저 쪽에서도 똑같이 계산할 수 있는 간단한 유사도."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return 1 - prev[-1] / max(len(a), len(b), 1)


@dataclass
class Analysis:
    """한 문장의 분석 결과. level: "ok" | "warning"(번역은 함) | "error"(번역 못 함)."""
    text: str
    level: str
    message: str = ""
    src_tokens: list = field(default_factory=list)   # 한국어 토큰 (모르는 단어는 <unk>)
    dec_inputs: list = field(default_factory=list)   # 디코더 입력: <bos> w1 ... wn
    outputs: list = field(default_factory=list)      # 디코더 출력: w1 ... wn <eos>
    translation: str = ""
    # 종류 → (층 수, 헤드 수, T_q, T_k) 텐서
    maps: dict = field(default_factory=dict)
    steps: object = None                             # decoding.GreedySteps: 단계마다 다음 단어 후보 상위 5개 등

    @property
    def ok(self) -> bool:
        return self.level != "error"


class Explorer:
    """학습된 모델 하나를 감싸는 탐색기 백엔드."""

    def __init__(self, model=None, src_vocab=None, tgt_vocab=None, max_tokens: int = 20, cache_size: int = 64,
                 max_train_tokens: int | None = None):
        if model is None:
            from . import load_pretrained
            model, src_vocab, tgt_vocab, extra = load_pretrained()
            max_train_tokens = max_train_tokens or extra.get("info", {}).get("max_train_tokens")
        self.model, self.src_vocab, self.tgt_vocab = model.eval(), src_vocab, tgt_vocab
        self.max_tokens = min(max_tokens, model.config.max_len)
        self.max_train_tokens = max_train_tokens
        self.n_layers = len(model.encoder.layers)
        self.n_heads = model.encoder.layers[0].self_attn.n_heads
        # 같은 문장(정리한 뒤)은 다시 계산하지 않습니다: 최근 cache_size개를 기억 (functools.lru_cache)
        self._translate = functools.lru_cache(maxsize=cache_size)(self._translate_uncached)
        self.known = src_vocab.itos[len(SPECIALS):]  # 특수 토큰(<pad> <bos> <eos> <unk>)을 뺀 단어들

    def clear_cache(self) -> None:
        """기억해 둔 번역을 모두 지웁니다(새 문장을 처음 번역하는 시간을 잴 때)."""
        self._translate.cache_clear()

    # ---------------------------------------------------------------- 입력 검사
    def clean(self, text) -> str:
        """NFC 정규화(자모로 풀어 쓴 한글도 같은 글자로) → 문장부호 지우기 → 공백 하나로."""
        text = unicodedata.normalize("NFC", "" if text is None else str(text))
        return " ".join(PUNCT.sub(" ", text).split())

    def suggest(self, word: str, n: int = 3) -> list:
        """모르는 단어와 비슷한 아는 단어들. 먼저 같은 말로 시작하는 것(조사만 다른 것), 그다음 철자가 비슷한 것
        (유사도 0.5 이상, 높은 순, 같으면 어휘 순서)."""
        stem = word[:-1] if len(word) > 1 else word
        same_stem = [w for w in self.known if w.startswith(stem)][:n]
        scored = [(similarity(word, w), i, w) for i, w in enumerate(self.known)]
        close = [w for s, i, w in sorted((t for t in scored if t[0] >= 0.5), key=lambda t: (-t[0], t[1]))][:n]
        return list(dict.fromkeys(same_stem + close))[:n]

    def check(self, text):
        """→ (level, message, cleaned). level은 "ok", "warning", "error"."""
        cleaned = self.clean(text)
        example = msg("example", sentence=EXAMPLE)
        if not cleaned:
            return "error", msg("empty", example=example), cleaned
        if not HANGUL.search(cleaned):
            return "error", msg("no_hangul", example=example), cleaned
        tokens = cleaned.split()
        note = (" " + msg("train_len_note", max_train=self.max_train_tokens)) if self.max_train_tokens else ""
        max_chars = CHARS_PER_TOKEN * self.max_tokens
        if len(cleaned) > max_chars:   # 한도를 넘은 쪽(글자 수)을 그대로 말합니다
            return "error", msg("too_many_chars", n=len(cleaned), max=max_chars) + note, cleaned
        if len(tokens) > self.max_tokens:
            return "error", msg("too_many_tokens", n=len(tokens), max=self.max_tokens) + note, cleaned
        symbols = list(dict.fromkeys(ch for t in tokens for ch in SYMBOL.findall(t)))
        if symbols:   # 기호는 <unk>가 되어 엉뚱한 단어로 번역되므로(예: 🍎를 → doctor) 번역하지 않습니다
            return "error", msg("symbols", symbols=", ".join(f"「{c}」" for c in symbols)), cleaned
        unknown = [t for t in tokens if t not in self.src_vocab.stoi]
        if unknown and len(unknown) * 2 > len(tokens):
            return "error", self._unknown_message(unknown, fatal=True), cleaned
        msgs = []
        if unknown:
            msgs.append(self._unknown_message(unknown, fatal=False))
        if self.max_train_tokens and len(tokens) > self.max_train_tokens:
            msgs.append(msg("longer_than_train", max_train=self.max_train_tokens, n=len(tokens)))
        return ("warning" if msgs else "ok"), " ".join(msgs), cleaned

    def _unknown_message(self, unknown, fatal: bool) -> str:
        parts = []
        for w in list(dict.fromkeys(unknown))[:4]:
            s = self.suggest(w)
            parts.append(msg("unknown_word", word=w) + (msg("suggestion", words=", ".join(s)) if s else ""))
        return msg("unknown_fatal" if fatal else "unknown_warning", words=", ".join(parts), n_known=len(self.known))

    # ---------------------------------------------------------------- 번역 + 어텐션
    @torch.no_grad()
    def analyze(self, text) -> Analysis:
        """문장 → Analysis. 예외를 내지 않습니다(예상 못 한 오류도 안내 문구로 바꿉니다)."""
        try:
            level, message, cleaned = self.check(text)
            if level == "error":
                return Analysis(str(text), level, message)
            return self._translate(cleaned, level, message)
        except Exception as e:  # 탐색기는 절대 트레이스백을 보여 주지 않습니다
            return Analysis(str(text), "error", msg("unexpected", error=f"{type(e).__name__}: {e}"))

    def _translate_uncached(self, cleaned, level, message) -> Analysis:
        m, sv, tv = self.model, self.src_vocab, self.tgt_vocab
        src = torch.tensor([sv.encode(cleaned)])                     # (1, S)
        max_len = max_decode_len(src.shape[1], m.config.max_len)
        with single_thread():   # 문장 하나는 아주 작은 계산이라 스레드를 나누면 오히려 느립니다
            steps = greedy_steps(m, src, tv.bos_id, tv.eos_id, max_len)
        dec_ids = steps.decoder_inputs.tolist()                      # 마지막 출력(<eos>)은 입력이 아님
        outputs = [tv.itos[i] for i in steps.tokens[1:].tolist()][: len(dec_ids)]
        words = [w for w in outputs if w != "<eos>"]
        # 종류마다 층별 (1, h, T_q, T_k) → (L, h, T_q, T_k)
        maps = {k: torch.stack([w[0] for w in getattr(steps.maps, k)]) for k in ("encoder", "decoder", "cross")}
        if not steps.finished:
            message = (message + " " + msg("no_eos", max_len=max_len)).strip()
            level = "warning"
        return Analysis(cleaned, level, message, src_tokens=[sv.itos[i] for i in src[0].tolist()],
                        dec_inputs=[tv.itos[i] for i in dec_ids], outputs=outputs, translation=" ".join(words),
                        maps=maps, steps=steps)

    def attention(self, a: Analysis, kind: str = "cross", layer: int = 0, head=0):
        """→ (가중치 (T_q, T_k) 텐서, 행 이름들, 열 이름들). head="mean"이면 헤드 평균."""
        if kind not in KINDS:
            raise ValueError(f"kind는 {list(KINDS)} 중 하나여야 합니다; 받은 값: {kind!r}")
        if not a.ok:
            raise ValueError(a.message)
        if not 0 <= layer < self.n_layers:
            raise ValueError(f"layer는 0 이상 {self.n_layers} 미만이어야 합니다; 받은 값: {layer!r}")
        if head != "mean" and not 0 <= head < self.n_heads:
            raise ValueError(f'head는 0 이상 {self.n_heads} 미만이거나 "mean"이어야 합니다; 받은 값: {head!r}')
        w = a.maps[kind][layer]
        w = w.mean(0) if head == "mean" else w[head]
        rows = a.src_tokens if kind == "encoder" else a.outputs
        cols = a.src_tokens if kind in ("encoder", "cross") else a.dec_inputs
        return w, rows, cols

    def bertviz_kwargs(self, a: Analysis) -> dict:
        """bertviz head_view/model_view(인코더-디코더 모드)에 그대로 넘길 인자: 층별 (1, h, T, T) 텐서와 토큰.

        bertviz는 행과 열에 같은 토큰 목록을 쓰므로, 디코더 쪽 토큰은 디코더 **입력**(<bos>, 앞서 만든 단어들)입니다.
        """
        if not a.ok:
            raise ValueError(a.message)
        layers = lambda k: [m[None] for m in a.maps[k]]  # noqa: E731  (h, T, T) → (1, h, T, T)
        return dict(encoder_attention=layers("encoder"), decoder_attention=layers("decoder"),
                    cross_attention=layers("cross"), encoder_tokens=list(a.src_tokens),
                    decoder_tokens=list(a.dec_inputs))

    # ---------------------------------------------------------------- 그리기 (HTML 표)
    def message_html(self, a: Analysis) -> str:
        color = {"ok": "#1b5e20", "warning": "#8a5300", "error": "#b00020"}[a.level]
        parts = []
        if a.ok:
            parts.append(f"<div style='font-size:1.15em'><b>{MESSAGES['label_translation']}</b> "
                         f"{html.escape(a.translation) or MESSAGES['empty_translation']}</div>")
        if a.message:
            label = MESSAGES["label_warning"] if a.level == "warning" else MESSAGES["label_error"]
            parts.append(f"<div style='color:{color}'><b>{label}</b> {html.escape(a.message)}</div>")
        return "".join(parts)

    def heatmap_html(self, a: Analysis, kind="cross", layer=0, head=0) -> str:
        if not a.ok:
            return ""
        w, rows, cols = self.attention(a, kind, layer, head)
        masked = "causal" if kind == "decoder" else None
        return heatmap_table(w, rows, cols, masked=masked, caption=msg(
            "heatmap_caption", kind=KINDS[kind], layer=msg("layer", i=layer),
            head=MESSAGES["head_mean"] if head == "mean" else msg("head", i=head)))

    def update(self, text, kind="cross", layer=0, head=0) -> str:
        """입력 하나를 바꿨을 때 위젯이 하는 일 전체(분석 + HTML). 벤치마크가 이 함수를 잽니다."""
        a = self.analyze(text)
        return self.message_html(a) + self.heatmap_html(a, kind, layer, head)

    # ---------------------------------------------------------------- 위젯
    def widget(self, text: str = EXAMPLE, kinds=tuple(KINDS), steps: bool = True, detail: bool = True):
        """ipywidgets 화면. Colab에서는 먼저 google.colab.output.enable_custom_widget_manager()를 부르세요.

        책 빌드(정적 사이트)에서는 위젯 대신, 같은 모델을 브라우저에서 돌리는 탐색기의 자리(viz.live)를 돌려줍니다:
        사이트에는 커널이 없어 위젯이 움직이지 않기 때문입니다. kinds·steps·detail 은 그 탐색기의 선택지입니다
        (어텐션 종류, 단계별 디코딩, 헤드 하나의 Q·K·V 보기).
        """
        from ..viz import in_book_build

        if in_book_build():
            from ..viz._live import LiveFigure

            return LiveFigure("explorer", sentence=text, kinds=list(kinds), steps=steps, detail=detail)
        import ipywidgets as W

        box = W.Text(value=text, description="한국어:", continuous_update=False,
                     layout=W.Layout(width="100%"), placeholder=EXAMPLE)
        kind = W.Dropdown(options=[(v, k) for k, v in KINDS.items()], value="cross", description="종류:")
        # 층·헤드 번호는 책 전체(코드, bertviz)와 같이 0부터 셉니다
        layer = W.Dropdown(options=[(msg("layer", i=i), i) for i in range(self.n_layers)], value=self.n_layers - 1,
                           description="층:")
        head = W.Dropdown(options=[(msg("head", i=i), i) for i in range(self.n_heads)] + [("평균", "mean")],
                          value=0, description="헤드:")
        note, heat = W.HTML(), W.HTML()

        def refresh(*_):
            a = self.analyze(box.value)
            note.value = self.message_html(a)
            try:
                heat.value = self.heatmap_html(a, kind.value, layer.value, head.value)
            except Exception as e:  # 만일을 위해: 위젯 안에 안내만
                heat.value = f"<div style='color:#b00020'>그림을 그리지 못했습니다: {html.escape(str(e))}</div>"

        for w in (box, kind, layer, head):
            w.observe(refresh, names="value")
        refresh()
        ui = W.VBox([box, W.HBox([kind, layer, head]), note, heat])
        ui.refresh = refresh  # 노트북에서 직접 부를 수 있게
        ui.controls = dict(text=box, kind=kind, layer=layer, head=head, message=note, heatmap=heat)
        return ui


from .explorer_figures import attention_figure, heatmap_table  # noqa: E402  (그리기는 따로, 이름은 여기서도)
