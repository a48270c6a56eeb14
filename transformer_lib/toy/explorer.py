"""학습된 장난감 번역기의 어텐션 탐색기(attention explorer).

- ``Explorer``: 백엔드. 한국어 문장 → 번역 + 모든 층·헤드의 어텐션 가중치. 잘못된 입력(빈 문장, 한국어가 아님,
  모르는 단어, 너무 긴 문장)에는 예외 대신 친절한 한국어 안내를 돌려줍니다. 같은 문장은 다시 계산하지 않습니다(캐시).
- ``Explorer.widget()``: ipywidgets 화면(문장 입력, 종류·층·헤드 선택, 번역, 히트맵). Jupyter와 Colab에서 씁니다.
  히트맵은 HTML 표로 그려서(그림 파일을 다시 만들지 않음) 한 번 바꾸는 데 몇 밀리초면 됩니다.
- ``attention_figure(...)``: 커널이 없는 정적 사이트용. 예문 몇 개의 어텐션을 미리 계산해 드롭다운
  (문장·종류·층·헤드)이 있는 plotly 그림으로 만듭니다.

어텐션 지도의 규칙: 행 = 쿼리(query, 보는 쪽), 열 = 키(key, 보이는 쪽). 디코더 쪽 행에는 그 위치에서 **만들어 내는**
영어 토큰을 적습니다(예: "eats" 행 = 디코더가 "eats"를 내놓는 순간의 어텐션). 디코더 셀프 어텐션의 열은 그 순간까지
디코더에 들어간 토큰(<bos>, 앞서 만든 단어들)입니다.
"""
from __future__ import annotations

import html
import json
import re
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

import torch

from ..tokenizer import SPECIALS

# 안내 문구는 파이썬 탐색기와 책 사이트의 브라우저 탐색기(book/assets/live/)가 함께 쓰는 표 하나에 있습니다.
MESSAGES_FILE = Path(__file__).with_name("messages.json")
MESSAGES = json.loads(MESSAGES_FILE.read_text(encoding="utf-8"))


def msg(key: str, **values) -> str:
    """안내 문구 표(messages.json)의 문구에 값을 채웁니다. 브라우저 쪽 fill()과 같은 규칙: {이름} → 값."""
    return re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), MESSAGES[key])


KINDS = OrderedDict((k, MESSAGES[f"kind_{k}"]) for k in ("cross", "encoder", "decoder"))
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

    @property
    def ok(self) -> bool:
        return self.level != "error"


class Explorer:
    """학습된 모델 하나를 감싸는 탐색기 백엔드."""

    def __init__(self, model=None, src_vocab=None, tgt_vocab=None, max_tokens: int = 20, cache_size: int = 64,
                 max_train_tokens: int | None = None):
        if model is None:
            from .train import load_pretrained
            model, src_vocab, tgt_vocab, extra = load_pretrained()
            max_train_tokens = max_train_tokens or extra.get("info", {}).get("max_train_tokens")
        self.model, self.src_vocab, self.tgt_vocab = model.eval(), src_vocab, tgt_vocab
        self.max_tokens = min(max_tokens, model.config.max_len)
        self.max_train_tokens = max_train_tokens
        self.n_layers = len(model.encoder.layers)
        self.n_heads = model.encoder.layers[0].self_attn.n_heads
        self._cache: OrderedDict = OrderedDict()
        self.cache_size = cache_size
        self.known = src_vocab.itos[len(SPECIALS):]  # 특수 토큰(<pad> <bos> <eos> <unk>)을 뺀 단어들

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
        return list(OrderedDict.fromkeys(same_stem + close))[:n]

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
        symbols = list(OrderedDict.fromkeys(ch for t in tokens for ch in SYMBOL.findall(t)))
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
        for w in list(OrderedDict.fromkeys(unknown))[:4]:
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
            if cleaned in self._cache:
                self._cache.move_to_end(cleaned)
                return self._cache[cleaned]
            result = self._run_single_thread(cleaned, level, message)
            self._cache[cleaned] = result
            if len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
            return result
        except Exception as e:  # 탐색기는 절대 트레이스백을 보여 주지 않습니다
            return Analysis(str(text), "error", msg("unexpected", error=f"{type(e).__name__}: {e}"))

    def _run_single_thread(self, cleaned, level, message) -> Analysis:
        """문장 하나는 아주 작은 계산이라 스레드를 나누면 오히려 느립니다(CPU를 나눠 쓸 때는 수십 배)."""
        from .train import single_thread

        with single_thread():
            return self._run(cleaned, level, message)

    def _run(self, cleaned, level, message) -> Analysis:
        from .train import MAX_DECODE_EXTRA

        m, sv, tv = self.model, self.src_vocab, self.tgt_vocab
        src = torch.tensor([sv.encode(cleaned)])                     # (1, S)
        src_mask = m.make_src_mask(src)
        memory, enc_w = m.encode(src, src_mask, need_weights=True)   # 인코더는 한 번만
        ys = torch.tensor([[tv.bos_id]])
        max_len = min(src.shape[1] * 2 + MAX_DECODE_EXTRA, m.config.max_len)  # translate()와 같은 한도
        for _ in range(max_len - 1):                                  # 탐욕적 디코딩
            logits, _ = m.decode(ys, memory, src_mask)
            nxt = logits[0, -1].argmax().item()
            ys = torch.cat([ys, torch.tensor([[nxt]])], dim=1)
            if nxt == tv.eos_id:
                break
        dec_in = ys[:, :-1] if ys[0, -1].item() == tv.eos_id else ys  # 마지막 출력은 입력이 아님
        _, (self_w, cross_w) = m.decode(dec_in, memory, src_mask, need_weights=True)
        out_ids = ys[0, 1:].tolist()
        dec_ids = dec_in[0].tolist()
        outputs = [tv.itos[i] for i in out_ids][: len(dec_ids)]
        words = [w for w in outputs if w != "<eos>"]
        maps = {
            "encoder": torch.stack([w[0] for w in enc_w]),     # (L, h, S, S)
            "decoder": torch.stack([w[0] for w in self_w]),    # (L, h, T, T)
            "cross": torch.stack([w[0] for w in cross_w]),     # (L, h, T, S)
        }
        if ys[0, -1].item() != tv.eos_id:
            extra = msg("no_eos", max_len=max_len)
            message = (message + " " + extra).strip()
            level = "warning"
        return Analysis(cleaned, level, message, src_tokens=[sv.itos[i] for i in src[0].tolist()],
                        dec_inputs=[tv.itos[i] for i in dec_ids], outputs=outputs, translation=" ".join(words),
                        maps=maps)

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


# -------------------------------------------------------------------------------------------------------------------
# HTML 히트맵: 표 한 장. matplotlib을 쓰지 않으므로 한글 글꼴 문제도 없고 빠릅니다.
# -------------------------------------------------------------------------------------------------------------------
_VIRIDIS = None


def _viridis():
    global _VIRIDIS
    if _VIRIDIS is None:
        try:
            from matplotlib import colormaps
            cmap = colormaps["viridis"]
            _VIRIDIS = ["#%02x%02x%02x" % tuple(int(255 * c) for c in cmap(i / 255)[:3]) for i in range(256)]
        except Exception:  # matplotlib이 없으면 회색조
            _VIRIDIS = ["#%02x%02x%02x" % (i, i, i) for i in range(256)]
    return _VIRIDIS


def heatmap_table(w, rows, cols, caption: str = "", masked=None) -> str:
    """가중치 (T_q, T_k)를 칸마다 색(viridis, 0~1)과 숫자가 있는 HTML 표로 만듭니다.

    masked="causal"이면 룩어헤드 마스크로 가려진 칸(열 > 행)을 회색 빈칸으로 그립니다.
    """
    pal = _viridis()
    vals = w.tolist() if hasattr(w, "tolist") else w
    cell = "width:3.6em;height:1.9em;text-align:center;font-size:0.8em;padding:0;border:1px solid #fff"
    out = ["<div style='overflow-x:auto'><table style='border-collapse:collapse;font-family:sans-serif'>"]
    if caption:
        out.append(f"<caption style='caption-side:bottom;font-size:0.85em;color:#444;padding-top:4px'>"
                   f"{html.escape(caption)}</caption>")
    out.append("<tr><th></th>" + "".join(
        f"<th style='font-weight:normal;font-size:0.8em;padding:2px 3px;white-space:nowrap'>{html.escape(c)}</th>"
        for c in cols) + "</tr>")
    for qi, (r, row) in enumerate(zip(rows, vals)):
        tds = []
        for ki, v in enumerate(row):
            if masked == "causal" and ki > qi:
                tds.append(f"<td style='{cell};background:#eeeeee' title='{MESSAGES['masked_cell']}'></td>")
                continue
            i = max(0, min(255, int(round(v * 255))))
            fg = "#000" if i > 150 else "#fff"
            tds.append(f"<td style='{cell};background:{pal[i]};color:{fg}' title='{v:.3f}'>{v:.2f}</td>")
        out.append(f"<tr><th style='font-weight:normal;font-size:0.8em;text-align:right;padding-right:6px;"
                   f"white-space:nowrap'>{html.escape(r)}</th>{''.join(tds)}</tr>")
    out.append("</table></div>")
    return "".join(out)


# -------------------------------------------------------------------------------------------------------------------
# 정적 사이트용 plotly 그림
# -------------------------------------------------------------------------------------------------------------------
def attention_figure(sentences, explorer: Explorer | None = None, height: int = 560):
    """예문들의 어텐션을 미리 계산해, 드롭다운 네 개(문장·종류·층·헤드)로 고르는 plotly 그림을 만듭니다.

    커널 없이 브라우저에서만 움직이도록, 드롭다운 네 개가 서로 다른 속성을 바꿉니다:
      문장 → 모든 trace의 데이터(z, x, y),  종류 → visible,  층 → opacity(와 칸 글자·호버),
      헤드 → trace가 놓인 축(고른 헤드만 보이는 축에, 나머지는 화면 밖 축에).
    그래서 네 선택이 서로를 지우지 않고 함께 적용됩니다. trace는 (종류, 층, 헤드)마다 하나입니다.
    """
    import plotly.graph_objects as go

    ex = explorer or Explorer()
    analyses = []
    for s in sentences:
        a = ex.analyze(s)
        if not a.ok:
            raise ValueError(f"예문을 분석할 수 없습니다: {s!r} — {a.message}")
        analyses.append(a)
    L, H = ex.n_layers, ex.n_heads
    combos = [(k, l, h) for k in KINDS for l in range(L) for h in range(H)]
    init = dict(sentence=0, kind="cross", layer=L - 1, head=0)

    def data_for(a):
        zs, xs, ys = [], [], []
        for k, l, h in combos:
            w, rows, cols = ex.attention(a, k, l, h)
            zs.append([[round(v, 3) for v in r] for r in w.tolist()])
            # 같은 토큰이 두 번 나와도 칸이 합쳐지지 않도록 위치 번호를 붙입니다
            xs.append([f"{c} ·{i + 1}" for i, c in enumerate(cols)])
            ys.append([f"{r} ·{i + 1}" for i, r in enumerate(rows)])
        return zs, xs, ys

    per_sentence = [data_for(a) for a in analyses]
    zs, xs, ys = per_sentence[init["sentence"]]
    fig = go.Figure()
    for i, (k, l, h) in enumerate(combos):
        shown_axis = h == init["head"]
        fig.add_trace(go.Heatmap(
            z=zs[i], x=xs[i], y=ys[i], coloraxis="coloraxis", name=f"{k} L{l} H{h}",
            visible=(k == init["kind"]), opacity=1.0 if l == init["layer"] else 0.0,
            hoverinfo="all" if l == init["layer"] else "skip",
            xaxis="x" if shown_axis else "x2", yaxis="y" if shown_axis else "y2",
            texttemplate="%{z:.2f}" if l == init["layer"] else "", textfont=dict(size=10),
            hovertemplate="쿼리 %{y}<br>키 %{x}<br>가중치 %{z:.3f}<extra></extra>",
        ))

    def menu(buttons, label, active, x, y):
        return dict(buttons=buttons, active=active, direction="down", x=x, y=y, xanchor="left", yanchor="top",
                    showactive=True, pad=dict(r=4, t=2), name=label)

    sent_buttons = [dict(label=f"문장 {j + 1}: {a.text}", method="restyle",
                         args=[{"z": d[0], "x": d[1], "y": d[2]}]) for j, (a, d) in
                    enumerate(zip(analyses, per_sentence))]
    kind_buttons = [dict(label=v, method="restyle", args=[{"visible": [c[0] == k for c in combos]}])
                    for k, v in KINDS.items()]
    layer_buttons = [dict(label=msg("layer", i=l), method="restyle",
                          args=[{"opacity": [1.0 if c[1] == l else 0.0 for c in combos],
                                 "hoverinfo": ["all" if c[1] == l else "skip" for c in combos],
                                 "texttemplate": ["%{z:.2f}" if c[1] == l else "" for c in combos]}])
                     for l in range(L)]
    head_buttons = [dict(label=msg("head", i=h), method="restyle",
                         args=[{"xaxis": ["x" if c[2] == h else "x2" for c in combos],
                                "yaxis": ["y" if c[2] == h else "y2" for c in combos]}])
                    for h in range(H)]
    # 메뉴 위치: 위쪽 세 줄 (문장 / 종류 / 층·헤드). 390 px 폭의 휴대전화에서도 메뉴끼리 겹치지 않도록 긴 메뉴는
    # 한 줄에 하나씩 둡니다(한 줄에 셋을 두면 좁은 화면에서 겹쳤습니다). 위쪽 여백은 픽셀로 고정입니다.
    top = 175
    row = lambda k: 1 + (top - 12 - 40 * k) / (height - top - 10)  # noqa: E731  (k번째 줄의 y, 위에서부터)
    menus = [menu(sent_buttons, "문장", init["sentence"], 0.0, row(0)),
             menu(kind_buttons, "종류", list(KINDS).index(init["kind"]), 0.0, row(1)),
             menu(layer_buttons, "층", init["layer"], 0.0, row(2)),
             menu(head_buttons, "헤드", init["head"], 0.28, row(2))]
    fig.update_layout(
        updatemenus=menus, height=height, margin=dict(l=10, r=10, t=top, b=10),
        coloraxis=dict(colorscale="Viridis", cmin=0, cmax=1, colorbar=dict(title="가중치", thickness=12)),
        xaxis=dict(title="키(key)", side="bottom", tickangle=-45, type="category"),
        yaxis=dict(title="쿼리(query)", autorange="reversed", type="category"),
        # 화면 밖 "주차" 축: 고르지 않은 헤드의 trace가 여기에 놓여 보이지 않습니다
        xaxis2=dict(overlaying="x", visible=False, range=[1000, 1001], type="category", fixedrange=True),
        yaxis2=dict(overlaying="y", visible=False, range=[1000, 1001], type="category", fixedrange=True),
        plot_bgcolor="white",
    )
    return fig
