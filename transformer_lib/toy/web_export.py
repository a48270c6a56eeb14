"""학습된 번역기를 책 사이트의 브라우저 탐색기로 내보내기(export) — 빌드가 부르며, 만든 파일은 저장소에 넣지 않습니다.

    python -m transformer_lib.toy.web_export --out _build/live            # 사이트 자산 + 테스트용 정답(golden) 파일

만드는 것
    <out>/site/live/ko_en_weights.js   가중치(16비트, 아래 pack 참고) + 어휘 + 설정 + 안내 문구 표 + sha256 을 담은 일반
        스크립트. `<script src>`로 싣기 때문에 `file://`로 연 사이트(USB에 복사한 책)에서도 됩니다(fetch는 file://에서
        막힘). 가중치 바이트는 상위 바이트끼리·하위 바이트끼리 모아(byte planes) deflate로 줄이고 base64로 적습니다
        (16비트 1.56 MB 를 그대로 base64 로 적으면 2.08 MB 로 2 MB 예산을 넘습니다).
    <out>/golden/golden.json           PyTorch 로 계산한 정답: 문장 ≥ 200개의 번역(tl.greedy_decode), 모든 어텐션 지도,
                                       단계별 상위 5개 확률, 헤드 하나의 Q·K·V·점수·마스크·소프트맥스, 잘못된 입력의 안내 문구.
    <out>/golden/ko_en_weights_f32.js  같은 가중치의 float32 판(테스트가 1e-4 허용 오차로 확인; 사이트에는 싣지 않음).

가중치는 라이브러리 API(`load_pretrained()` → state_dict)로만 읽으므로 체크포인트 파일 형식과 무관합니다.
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import json
import time
import unicodedata
import zlib
from pathlib import Path

import torch

import transformer_lib as tl

from ..decoding import MAX_DECODE_EXTRA, single_thread
from . import grammar, load_pretrained
from .explorer import CHARS_PER_TOKEN, MESSAGES, Explorer

WEIGHTS_JS = "ko_en_weights.js"
GLOBAL_NAME = "TRANSFORMER_LIVE_WEIGHTS"
Q_MAX = 2 ** 13 - 1   # 행마다 정수 −8191..8191 (14비트를 2바이트에). 범위를 더 쓰면 압축이 덜 되어 2 MB 를 넘습니다.
DETAIL = dict(text="어제 소녀는 도서관에서 오래된 책을 읽었다", heads=[("encoder", 0, 1), ("decoder", 1, 0), ("cross", 1, 2)])
BAD_INPUTS = ["", "   ", "I like apples", "가" * 1000, "소년은 🍎를 먹는다", "소년은 사과를 먹는다 " * 6,
              "안녕하세요 반갑습니다", "소년은 사과가 먹는다", "소년은 컴퓨터를 먹는다", "소년은 사과를 먹늗다",
              "ㅋㅋ 소년은 사과를 먹는다", "소년은 apple을 먹는다", "!!!"]


# --------------------------------------------------------------------------------------------------------------
# 가중치
# --------------------------------------------------------------------------------------------------------------
def pack(model, dtype: str = "i16") -> dict:
    """state_dict → {"tensors": [[이름, 모양, 시작 위치(원소)], ...], "data": base64, "sha256": 원래 바이트의 sha256}.

    dtype="i16": 행마다 눈금(scale = 그 행의 max|w| / Q_MAX)을 둔 2바이트 정수. float16 과 크기는 같지만 이 모델에서는
    오차가 더 작고 압축도 잘 됩니다: 정답 문장 218개의 어텐션 지도 최대 차이 float16 2.5e-3(2e-3 예산 초과), 이 방식
    1.0e-3; 파일 float16 1.79 MB, 이 방식 1.91 MB. (float16 은 지수에 비트를 쓰지만, 한 행 안의 가중치는 크기가
    비슷해 지수가 거의 필요 없습니다.)
    dtype="f32": 원래 값 그대로(테스트용). 값 = int16 × scales[행] 또는 float32.
    """
    tensors, chunks, scales, offset = [], [], [], 0
    for name, t in model.state_dict().items():
        if not t.is_floating_point():
            continue
        t = t.detach().float().contiguous()
        rows = t.reshape(t.shape[0], -1) if t.dim() > 1 else t.reshape(1, -1)
        if dtype == "i16":
            s = rows.abs().amax(1, keepdim=True) / Q_MAX
            s = torch.where(s > 0, s, torch.ones_like(s))
            scales += s.flatten().tolist()
            chunks.append((rows / s).round().to(torch.int16).flatten())
        else:
            chunks.append(rows.flatten())
        tensors.append([name, list(t.shape), offset])
        offset += t.numel()
    raw = torch.cat(chunks).numpy().tobytes()                 # 리틀 엔디언 int16/float32
    width = 2 if dtype == "i16" else 4
    planes = b"".join(raw[i::width] for i in reversed(range(width)))   # 상위 바이트 면부터 (압축이 잘 됨)
    packed = zlib.compress(planes, 9)
    return {"dtype": dtype, "n": offset, "encoding": "byte-planes+deflate+base64", "tensors": tensors,
            "scales": [float(f"{x:.8g}") for x in scales],
            "sha256": hashlib.sha256(raw).hexdigest(), "data": base64.b64encode(packed).decode("ascii")}


def manifest(model, src_vocab, tgt_vocab, extra: dict, dtype: str = "i16") -> dict:
    c = model.config
    ex = Explorer(model, src_vocab, tgt_vocab, max_train_tokens=extra.get("info", {}).get("max_train_tokens"))
    info = extra.get("info", {})
    return {
        "format": 1,
        "config": {"d_model": c.d_model, "n_heads": c.n_heads, "d_ff": c.d_ff, "max_len": c.max_len,
                   "n_layers": c.n_layers, "norm_first": c.norm_first,
                   "positional": c.positional, "tie_embeddings": c.tie_embeddings, "pad_id": c.pad_id,
                   "layer_norm_eps": model.encoder.layers[0].norm1.eps},
        "src_itos": src_vocab.itos, "tgt_itos": tgt_vocab.itos,
        "special_ids": {"pad": tgt_vocab.pad_id, "bos": tgt_vocab.bos_id, "eos": tgt_vocab.eos_id,
                        "unk": tgt_vocab.unk_id},
        "decode": {"max_decode_extra": MAX_DECODE_EXTRA, "rule": "min(S * 2 + max_decode_extra, max_len)"},
        "limits": {"max_tokens": ex.max_tokens, "chars_per_token": CHARS_PER_TOKEN,
                   "max_train_tokens": ex.max_train_tokens},
        "checkpoint": {"test_unseen": info.get("test_unseen"), "test_long": info.get("test_long"),
                       "n_params": sum(p.numel() for p in model.parameters())},
        "messages": {k: v for k, v in MESSAGES.items() if not k.startswith("_")},
        "weights": pack(model, dtype),
    }


def weights_js(man: dict) -> str:
    return ("/* 생성된 파일: python -m transformer_lib.toy.web_export — 고치지 마세요 (generated, do not edit). */\n"
            f"globalThis.{GLOBAL_NAME} = " + json.dumps(man, ensure_ascii=False, separators=(",", ":")) + ";\n")


# --------------------------------------------------------------------------------------------------------------
# 정답(golden) 파일
# --------------------------------------------------------------------------------------------------------------
def golden_sentences(n_unseen=110, n_long=50) -> list:
    """보류한 조합, 더 긴 문장, 문장부호, 모르는 단어, 자모로 풀어 쓴(NFD) 입력 — 모두 합쳐 200개가 넘습니다."""
    data = grammar.make_splits()
    unseen = [e.ko for e in data.test_unseen[:n_unseen]]
    long = [e.ko for e in data.test_long[:n_long]]
    punct = [s + p for s, p in zip(unseen[:24], [".", "!", "?", "…"] * 6)]
    punct += [f"“{s}”" for s in unseen[24:28]] + [s.replace(" ", ", ", 1) for s in unseen[28:32]]
    unknown_words = ["컴퓨터를", "어제밤에", "강아지가", "먹었어요", "비행기는", "바나나우유를"]
    unk = []
    for i, s in enumerate(long[:12] + unseen[32:40]):
        w = s.split()
        w[i % len(w)] = unknown_words[i % len(unknown_words)]
        unk.append(" ".join(w))
    nfd = [unicodedata.normalize("NFD", s) for s in unseen[40:46]]
    return unseen + long + punct + unk + nfd


def _r(t, nd=7):
    return [_r(x, nd) for x in t] if isinstance(t, list) else float(f"{t:.{nd}g}")


@torch.no_grad()
def golden(model, src_vocab, tgt_vocab, extra) -> dict:
    ex = Explorer(model, src_vocab, tgt_vocab, max_train_tokens=extra.get("info", {}).get("max_train_tokens"))
    sentences = []
    with single_thread():
        for text in golden_sentences():
            a = ex.analyze(text)
            item = {"text": text, "level": a.level, "message": a.message}
            if a.ok:
                src = torch.tensor([src_vocab.encode(a.text)])
                max_len = tl.max_decode_len(src.shape[1], model.config.max_len)
                ys = tl.greedy_decode(model, src, tgt_vocab.bos_id, tgt_vocab.eos_id, max_len)[0].tolist()
                ids = ys[1:ys.index(tgt_vocab.eos_id)] if tgt_vocab.eos_id in ys else ys[1:]
                # 단계마다 다음 토큰 확률의 상위 5개 (탐색기와 같은 decoding.greedy_steps 의 값)
                item.update(cleaned=a.text, src_tokens=a.src_tokens, dec_inputs=a.dec_inputs, outputs=a.outputs,
                            translation=a.translation, greedy_translation=tgt_vocab.decode(ids),
                            top5_ids=a.steps.top_ids.tolist(), top5_probs=_r(a.steps.top_probs.tolist()),
                            maps={k: _r(v.tolist()) for k, v in a.maps.items()})
            sentences.append(item)
        checks = []
        for text in BAD_INPUTS:
            a = ex.analyze(text)
            checks.append({"text": text, "level": a.level, "message": a.message, "translation": a.translation})
        details = [head_detail(model, ex, DETAIL["text"], *k) for k in DETAIL["heads"]]
    return {"sentences": sentences, "checks": checks, "details": details}


@torch.no_grad()
def head_detail(model, ex: Explorer, text: str, kind: str, layer: int, head: int) -> dict:
    """한 헤드의 Q, K, V, 점수(QKᵀ/√d_k), 마스크(True = 참여), 소프트맥스 — 훅으로 어텐션 모듈의 입력을 잡아 계산."""
    a = ex.analyze(text)
    src = torch.tensor([ex.src_vocab.encode(a.text)])
    dec = torch.tensor([[ex.tgt_vocab.stoi[t] for t in a.dec_inputs]])
    mod = {"encoder": lambda: model.encoder.layers[layer].self_attn,
           "decoder": lambda: model.decoder.layers[layer].self_attn,
           "cross": lambda: model.decoder.layers[layer].cross_attn}[kind]()
    seen = {}
    def grab(module, args, output):
        seen.setdefault("args", args)   # None을 돌려주어 출력은 그대로 둡니다

    hook = mod.register_forward_hook(grab)
    try:
        model(src, dec)
    finally:
        hook.remove()
    query, key, value, mask = seen["args"][:4]
    q = mod.split_heads(mod.W_q(query))[0, head]
    k = mod.split_heads(mod.W_k(key))[0, head]
    v = mod.split_heads(mod.W_v(value))[0, head]
    scores = q @ k.T / mod.d_k ** 0.5
    m = mask.expand(1, 1, q.shape[0], k.shape[0])[0, 0]
    weights = scores.masked_fill(~m, float("-inf")).softmax(-1)
    torch.testing.assert_close(weights, a.maps[kind][layer, head])   # 탐색기의 지도와 같은 것인지 확인
    return {"text": text, "kind": kind, "layer": layer, "head": head, "q": _r(q.tolist()), "k": _r(k.tolist()),
            "v": _r(v.tolist()), "scores": _r(scores.tolist()), "mask": m.tolist(), "weights": _r(weights.tolist())}


# --------------------------------------------------------------------------------------------------------------
def export(out, golden_files: bool = True) -> dict:
    """사이트 자산(<out>/site/live/)과 정답 파일(<out>/golden/)을 씁니다. → 쓴 파일과 크기."""
    out = Path(out)
    site, gold = out / "site" / "live", out / "golden"
    site.mkdir(parents=True, exist_ok=True)
    model, sv, tv, extra = load_pretrained()
    model.eval()
    written = {}
    path = site / WEIGHTS_JS
    path.write_text(weights_js(manifest(model, sv, tv, extra, "i16")), encoding="utf-8")
    written[str(path)] = path.stat().st_size
    if golden_files:
        gold.mkdir(parents=True, exist_ok=True)
        p32 = gold / "ko_en_weights_f32.js"
        p32.write_text(weights_js(manifest(model, sv, tv, extra, "f32")), encoding="utf-8")
        pg = gold / "golden.json"
        pg.write_text(json.dumps(golden(model, sv, tv, extra), ensure_ascii=False), encoding="utf-8")
        written[str(p32)], written[str(pg)] = p32.stat().st_size, pg.stat().st_size
    return written


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m transformer_lib.toy.web_export", description=__doc__.split("\n")[0])
    p.add_argument("--out", type=Path, default=Path("_build/live"))
    p.add_argument("--no-golden", action="store_true", help="사이트 자산만 (정답 파일 없이)")
    args = p.parse_args(argv)
    t = time.perf_counter()
    for path, size in export(args.out, not args.no_golden).items():
        print(f"{path}: {size / 1e6:.2f} MB")
    print(f"({time.perf_counter() - t:.1f}s)")


if __name__ == "__main__":
    main()
