"""논문 표 3의 모델 변형(model variations)을 장난감 번역기에서 다시 재기 + 위치 방식 비교 (10장).

    python -m transformer_lib.toy.ablate                       # 전부 → transformer_lib/results/ablation.json
    python -m transformer_lib.toy.ablate --only base h1 --seeds 0
    python -m transformer_lib.toy.ablate --budget-min 10       # 10분이 지나면 새 실행을 시작하지 않음
    # 프로세스 3개로 나눠 돌리고(각자 스레드 1개) 합치기: 책의 결과 파일은 이렇게 만들었습니다
    for i in 0 1 2; do python -m transformer_lib.toy.ablate --seeds 0 1 --shard $i/3 & done
    for i in 0 1; do python -m transformer_lib.toy.ablate --seeds 1 --shard $i/2 --out <결과>.s1 --budget-min 19 & done
    wait; python -m transformer_lib.toy.ablate --merge

걸리는 시간: 실행 하나는 학습 CPU 시간 약 8~25초(+ 평가 몇 초, 스레드 1개). 책의 결과 파일(26개 실행)은 학습 CPU 시간의
합이 약 7분이었지만, 여러 작업이 2코어를 함께 쓰던 기계에서 조각 13개로 나눠 벽시계 46분이 걸렸습니다(meta.wall_seconds).

변형마다 기준 설정(BASE: 책의 체크포인트와 같은 모델, 스텝만 줄임)에서 한 가지만 바꿔 학습하고, 보류한 조합
(test_unseen)과 더 긴 문장(test_long)에서 완전 일치·BLEU, 보류한 조합의 교사 강요 교차 엔트로피(라벨 스무딩 없음),
학습 시간을 잽니다. 모든 실행은 결과 파일에 바로 덧붙여 쓰므로 중간에 멈춰도 그때까지의 결과가 남습니다.
순서: 모든 변형을 시드 0으로 → 시드 1로 → …  (시드: 모델 초기화와 배치 순서. 데이터는 언제나 같음)
"""
from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from dataclasses import asdict, replace
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

import transformer_lib as tl
from transformer_lib.decoding import single_thread
from transformer_lib.multi_head import MultiHeadAttention

from . import grammar
from . import train as T

RESULTS = Path(__file__).resolve().parent.parent / "results" / "ablation.json"
STEPS = 300  # 책의 체크포인트는 1000 스텝. 변형 17개 × 시드 여러 개를 2코어 CPU에서 25분 안에 돌리려고 줄임
BASE = T.TrainConfig(steps=STEPS)

# 시드마다 이 순서로 돕니다(시간 예산에 걸려도 기준과 위치 방식이 먼저 끝나도록).
# 이름 → (무리, 설명, TrainConfig에서 바꿀 값, 모델에서 바꿀 값). 무리: 논문 표 3의 (A)~(E), P = 위치 방식(논문 밖)
VARIANTS = {
    "base": ("base", "기준: h=4, d_k=32, N=2, d_model=128, d_ff=256, 드롭아웃 0, 라벨 스무딩 0.1, 사인파", {}, {}),
    "learned": ("E", "학습 위치 임베딩", {}, {"positional": "learned"}),
    "rotary": ("P", "로터리 위치 임베딩(RoPE)", {}, {"positional": "rotary"}),
    "alibi": ("P", "ALiBi", {}, {"positional": "alibi"}),
    "h1": ("A", "헤드 1개 (d_k=128)", {"n_heads": 1}, {}),
    "h2": ("A", "헤드 2개 (d_k=64)", {"n_heads": 2}, {}),
    "h8": ("A", "헤드 8개 (d_k=16)", {"n_heads": 8}, {}),
    "dk16": ("B", "키 크기 d_k=16 (h=4 그대로)", {}, {"d_k": 16}),
    "dk8": ("B", "키 크기 d_k=8 (h=4 그대로)", {}, {"d_k": 8}),
    "N1": ("C", "층 1개", {"n_layers": 1}, {}),
    "N3": ("C", "층 3개", {"n_layers": 3}, {}),
    "d64": ("C", "d_model=64, d_ff=128", {"d_model": 64, "d_ff": 128}, {}),
    "ff512": ("C", "d_ff=512", {"d_ff": 512}, {}),
    "drop0.1": ("D", "드롭아웃 0.1", {"dropout": 0.1}, {}),
    "drop0.2": ("D", "드롭아웃 0.2", {"dropout": 0.2}, {}),
    "ls0": ("D", "라벨 스무딩 0", {"smoothing": 0.0}, {}),
    "ls0.2": ("D", "라벨 스무딩 0.2", {"smoothing": 0.2}, {}),
}


class SmallKeyAttention(MultiHeadAttention):
    """표 3 (B)용: 쿼리·키만 헤드마다 d_k(< d_model/h)차원으로 줄인 멀티헤드 어텐션. 밸류와 출력은 그대로.

    점수의 스케일도 1/√d_k(줄인 값)입니다. F.scaled_dot_product_attention은 쿼리·키와 밸류의 길이가 달라도 됩니다."""

    def __init__(self, d_model: int, n_heads: int, d_k: int, dropout_p: float = 0.0):
        super().__init__(d_model, n_heads, dropout_p)
        self.d_key = d_k
        self.W_q = nn.Linear(d_model, n_heads * d_k)
        self.W_k = nn.Linear(d_model, n_heads * d_k)

    def forward(self, query, key, value, mask=None, need_weights=False):
        self.check_inputs(query, key, value)
        B, h = query.shape[0], self.n_heads
        q = self.W_q(query).view(B, -1, h, self.d_key).transpose(1, 2)  # (B, h, T_q, d_key)
        k = self.W_k(key).view(B, -1, h, self.d_key).transpose(1, 2)    # (B, h, T_k, d_key)
        v = self.split_heads(self.W_v(value))                          # (B, h, T_k, d_model/h)
        out, weights = self.attend(q, k, v, mask, need_weights)        # (B, h, T_q, d_model/h)
        return self.W_o(self.merge_heads(out)), weights                # (B, T_q, d_model)


def model_builder(positional: str = "sinusoidal", d_k: int | None = None):
    """train(model_fn=…)에 넘길 함수: 기준 모델을 만든 뒤 위치 방식을 바꾸거나 어텐션의 키 크기를 줄입니다."""

    def build(src_vocab, tgt_vocab, cfg):
        model = T.make_model(src_vocab, tgt_vocab, cfg, positional=positional)
        if d_k is not None:
            for layer in [*model.encoder.layers, *model.decoder.layers]:
                for name in ("self_attn", "cross_attn"):
                    if hasattr(layer, name):
                        new = SmallKeyAttention(cfg.d_model, cfg.n_heads, d_k, cfg.dropout)
                        for p in new.parameters():
                            if p.dim() > 1:
                                nn.init.xavier_uniform_(p)
                        setattr(layer, name, new)
        return model

    return build


@torch.no_grad()
def heldout_cross_entropy(model, src_vocab, tgt_vocab, examples, batch_size: int = 500) -> float:
    """교사 강요로 잰 토큰당 교차 엔트로피(nats, 라벨 스무딩 없음). exp(값) = 논문 표 3의 퍼플렉서티(perplexity)."""
    model.eval()
    total, count = 0.0, 0
    with single_thread():
        for i in range(0, len(examples), batch_size):
            src, tgt = T.encode_examples(examples[i: i + batch_size], src_vocab, tgt_vocab)
            logits = model(src, tgt[:, :-1])
            total += F.cross_entropy(logits.transpose(1, 2), tgt[:, 1:], ignore_index=tgt_vocab.pad_id,
                                     reduction="sum").item()
            count += int((tgt[:, 1:] != tgt_vocab.pad_id).sum())
    return total / count


def run_one(name: str, seed: int, data: grammar.ToyData, steps: int = STEPS, progress: bool = False) -> dict:
    """변형 하나를 시드 하나로 학습하고 평가합니다 → 결과 한 줄(dict)."""
    group, label, cfg_kw, model_kw = VARIANTS[name]
    cfg = replace(BASE, steps=steps, seed=seed, **cfg_kw)
    model, sv, tv, hist = T.train(cfg, data, progress=progress, model_fn=model_builder(**model_kw))
    row = {"name": name, "group": group, "label": label, "seed": seed, "steps": steps,
           "n_params": sum(p.numel() for p in model.parameters()),
           "train_loss": round(hist["loss"][-1], 4), "train_seconds": round(hist["seconds"], 2),
           "train_cpu_seconds": round(hist["cpu_seconds"], 2),
           "heldout_ce": round(heldout_cross_entropy(model, sv, tv, data.test_unseen), 4)}
    for split in ("test_unseen", "test_long"):
        r = T.evaluate(model, sv, tv, getattr(data, split))
        row[split] = {"exact_match": round(r["exact_match"], 4), "bleu": round(r["bleu"], 2)}
    return row


def recorded_range(rows, split: str = "test_unseen", key: str = "exact_match", margin: float = 0.01):
    """결과 파일의 시드별 값들 → 같은 변형을 다시 학습한 값이 들어와야 할 구간 (최소 − 여유, 최대 + 여유).

    여유 = max(시드 간 흩어짐, margin). 같은 기계·같은 torch에서 스레드 1개로 다시 재면 값이 똑같이 나오고,
    다른 기계에서는 부동소수점 합의 순서가 달라 조금 흔들릴 수 있으므로 이만큼을 허용합니다."""
    xs = [r[split][key] for r in rows]
    if not xs:
        raise ValueError("결과 파일에 이 변형의 실행이 없습니다 (no recorded runs for this variant)")
    pad = max(max(xs) - min(xs), margin)
    return min(xs) - pad, max(xs) + pad


def machine() -> dict:
    import os

    return {"platform": platform.platform(), "processor": platform.processor() or platform.machine(),
            "cpu_count": os.cpu_count(), "python": platform.python_version(), "torch": str(torch.__version__),
            "transformer_lib": tl.__version__, "threads": BASE.threads}


def load_results(path=RESULTS) -> dict:
    """결과 파일 → {"meta": …, "runs": [한 줄씩]}. 10장과 테스트가 씁니다."""
    return json.loads(Path(path).read_text())


def merge(out: Path) -> dict:
    """<out>*.shard* 조각 파일들을 하나로: 실행은 (변형 순서, 시드) 순으로(같은 실행이 두 번이면 하나만),
    벽시계 시간은 가장 먼저 시작한 조각부터 가장 늦게 끝난 조각까지."""
    files = sorted(out.parent.glob(out.name + "*.shard*"))
    if not files:
        raise FileNotFoundError(f"합칠 조각 파일이 없습니다: {out}*.shard* (no shard files)")
    parts = [load_results(f) for f in files]
    meta = dict(parts[0]["meta"])
    order = list(VARIANTS)
    runs = {}
    for p in parts:
        for r in p["runs"]:
            runs.setdefault((r["name"], r["seed"]), r)
    runs = sorted(runs.values(), key=lambda r: (order.index(r["name"]), r["seed"]))
    for r in runs:                             # 설명은 지금 코드의 것으로(측정값은 그대로)
        r["group"], r["label"] = VARIANTS[r["name"]][:2]
    meta["variants"] = {k: v[:2] for k, v in VARIANTS.items()}
    meta["command"] = " ; ".join(p["meta"]["command"] for p in parts) + " ; python -m transformer_lib.toy.ablate --merge"
    meta["processes"] = len(parts)
    meta["seeds"] = sorted({r["seed"] for r in runs})
    start = min(time.mktime(time.strptime(p["meta"]["started"], "%Y-%m-%d %H:%M:%S UTC")) for p in parts)
    meta["started"] = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.localtime(start))
    meta["wall_seconds"] = round(max(time.mktime(time.strptime(p["meta"]["started"], "%Y-%m-%d %H:%M:%S UTC"))
                                     + p["meta"]["wall_seconds"] for p in parts) - start, 1)
    meta["stopped_early"] = [p["meta"]["stopped_early"] for p in parts if "stopped_early" in p["meta"]]
    meta["load_average_end"] = [p["meta"].get("load_average_end") for p in parts]
    result = {"meta": meta, "runs": runs}
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n")
    for f in files:
        f.unlink()
    print(f"저장: {out} ({len(runs)}개 실행, 벽시계 {meta['wall_seconds'] / 60:.1f}분)")
    return result


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m transformer_lib.toy.ablate", description=__doc__.split("\n")[0])
    p.add_argument("--only", nargs="+", choices=list(VARIANTS), help="이 변형들만 (기본: 전부)")
    p.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2], help="시드들 (기본 0 1 2)")
    p.add_argument("--steps", type=int, default=STEPS, help=f"학습 스텝 (기본 {STEPS})")
    p.add_argument("--budget-min", type=float, default=25.0, help="이 시간(분)이 지나면 새 실행을 시작하지 않음")
    p.add_argument("--out", type=Path, default=RESULTS)
    p.add_argument("--shard", default=None, help="i/k: 실행 목록의 i번째, i+k번째, …만 (결과: <out>.shard<i>)")
    p.add_argument("--merge", action="store_true", help="<out>*.shard* 조각 파일들을 <out> 하나로 합치기")
    args = p.parse_args(argv)
    if args.merge:
        return merge(args.out)

    from tqdm.auto import tqdm

    names = args.only or list(VARIANTS)
    jobs = [(n, s) for s in args.seeds for n in names]
    if args.shard:
        i, k = (int(v) for v in args.shard.split("/"))
        jobs, args.out = jobs[i::k], args.out.with_name(f"{args.out.name}.shard{i}")
    data = grammar.make_splits(BASE.data_seed, n_train=BASE.n_train, max_train_optional=BASE.max_optional)
    meta = {"command": "python -m transformer_lib.toy.ablate " + " ".join(argv if argv is not None else sys.argv[1:]),
            "seeds": args.seeds, "steps": args.steps, "base_config": asdict(replace(BASE, steps=args.steps)),
            "data": {"seed": data.seed, **{k: len(getattr(data, k)) for k in ("train", "test_unseen", "test_long")},
                     "max_train_len(ko, en)": list(data.max_train_len)},
            "machine": machine(), "started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
            "budget_min": args.budget_min, "variants": {k: v[:2] for k, v in VARIANTS.items()}}
    out = {"meta": meta, "runs": []}
    t0 = time.perf_counter()
    bar = tqdm(jobs, desc="변형", mininterval=1.0)
    for name, seed in bar:
        if time.perf_counter() - t0 > args.budget_min * 60:
            meta["stopped_early"] = f"시간 예산 {args.budget_min}분 초과: {len(out['runs'])}/{len(jobs)}개 실행"
            break
        bar.set_postfix(run=f"{name}/s{seed}")
        out["runs"].append(run_one(name, seed, data, args.steps))
        meta["wall_seconds"] = round(time.perf_counter() - t0, 1)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n")
        r = out["runs"][-1]
        tqdm.write(f"{name:8s} s{seed}  unseen {r['test_unseen']['exact_match']:.3f}  long "
                   f"{r['test_long']['exact_match']:.3f}  ce {r['heldout_ce']:.3f}  {r['train_cpu_seconds']:.0f} cpu-s")
    meta["wall_seconds"] = round(time.perf_counter() - t0, 1)
    meta["load_average_end"] = T.load_average()
    args.out.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n")
    print(f"저장: {args.out} ({len(out['runs'])}개 실행, {meta['wall_seconds'] / 60:.1f}분)")
    return out


if __name__ == "__main__":
    main()
