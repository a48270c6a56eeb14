"""장난감 번역기 벤치마크: 처음부터 학습하는 시간과 정확도, 어텐션 탐색기의 갱신 지연(latency).

    python benchmarks/bench_toy.py                 # 학습(약 2분) + 탐색기 지연
    python benchmarks/bench_toy.py --skip-train    # 탐색기 지연만 (몇 초)
    python benchmarks/bench_toy.py --json out.json
    python benchmarks/bench_toy.py --skip-train --dropout   # 드롭아웃의 CPU 비용

학습은 ``python -m transformer_lib.toy.train``과 같은 설정(TrainConfig 기본값)으로 하되 저장하지 않으며,
배포된 체크포인트에 기록된 값(학습 시간, 정확도)과 나란히 보여 줍니다.
탐색기 지연은 위젯이 입력 하나가 바뀔 때 하는 일 전체(Explorer.update: 분석 + HTML 생성)의 중앙값입니다.
  - 새 문장: 캐시를 비운 뒤 (탐욕적 디코딩 + 모든 어텐션 + HTML)
  - 종류·층·헤드 바꾸기: 같은 문장(캐시됨)에서 HTML만 다시 만들기
"""
import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import torch  # noqa: E402

from transformer_lib.toy import grammar  # noqa: E402
from transformer_lib.toy import train as T  # noqa: E402
from transformer_lib.toy.train import load_average  # noqa: E402

SENTENCES = [
    "소년은 공원에서 빨간 사과를 먹는다",
    "어제 그녀는 도서관에서 오래된 책을 읽었다",
    "우리는 내일 친구와 함께 케이크를 만들 것이다",
    "고양이가 정원에서 조용히 자고 있다",
    "나는 뜨거운 커피를 천천히 마셨다",
    "학생들은 교실에서 선생님을 기다린다",
]


def bench_training():
    cfg = T.TrainConfig()
    t = time.perf_counter()
    data = T.make_data(cfg)
    t_data = time.perf_counter() - t
    load_before = load_average()
    model, sv, tv, hist = T.train(cfg, data, progress=sys.stderr.isatty())
    out = {"threads": cfg.threads, "steps": cfg.steps, "data_seconds": round(t_data, 2),
           "train_seconds": round(hist["seconds"], 1), "train_cpu_seconds": round(hist["cpu_seconds"], 1),
           "steps_per_s": round(cfg.steps / hist["seconds"], 2),
           "load_average_before_after": [load_before, load_average()]}
    for name in ("test_unseen", "test_long"):
        t = time.perf_counter()
        r = T.evaluate(model, sv, tv, getattr(data, name))
        out[name] = {"exact_match": r["exact_match"], "bleu": round(r["bleu"], 2), "n": r["n"],
                     "eval_seconds": round(time.perf_counter() - t, 2)}
    return out


def bench_dropout(steps=150):
    """드롭아웃 0 vs 0.1: 같은 스텝 수의 CPU 시간 (CPU에서 드롭아웃이 얼마나 비싼가)."""
    data = grammar.make_splits(n_train=4000)
    out = {}
    for p in (0.0, 0.1):
        cpu = []
        for _ in range(2):
            _, _, _, hist = T.train(T.TrainConfig(steps=steps, dropout=p, n_train=4000), data, progress=False)
            cpu.append(hist["cpu_seconds"])
        out[f"dropout_{p}"] = round(min(cpu), 2)
    out["ratio"] = round(out["dropout_0.1"] / out["dropout_0.0"], 2)
    out["steps"] = steps
    return out


def bench_explorer(repeats):
    from transformer_lib.toy.explorer import Explorer

    t = time.perf_counter()
    ex = Explorer()
    load_s = time.perf_counter() - t
    ex.update(SENTENCES[0])  # 워밍업
    new, switch = [], []
    for _ in range(repeats):
        for s in SENTENCES:
            ex.clear_cache()
            t = time.perf_counter()
            ex.update(s, "cross", 1, 0)
            new.append(time.perf_counter() - t)
            for kind, layer, head in (("encoder", 0, 1), ("decoder", 1, 2), ("cross", 0, "mean")):
                t = time.perf_counter()
                ex.update(s, kind, layer, head)
                switch.append(time.perf_counter() - t)
    ms = lambda xs: round(1000 * statistics.median(xs), 2)  # noqa: E731
    return {"load_seconds": round(load_s, 2), "new_sentence_ms_median": ms(new),
            "new_sentence_ms_p90": round(1000 * sorted(new)[int(0.9 * len(new))], 2),
            "switch_ms_median": ms(switch), "n_new": len(new), "n_switch": len(switch), "target_ms": 100}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--skip-train", action="store_true")
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--dropout", action="store_true", help="드롭아웃 0 vs 0.1의 학습 CPU 시간도 잽니다 (약 30초)")
    p.add_argument("--json", type=Path)
    a = p.parse_args()
    result = {"torch": str(torch.__version__), "cpu_count": os.cpu_count(), "load_average": load_average()}
    result["shipped_checkpoint"] = T.load_pretrained()[3]["info"]
    if not a.skip_train:
        result["training_from_scratch"] = bench_training()
    if a.dropout:
        result["dropout_cpu_seconds"] = bench_dropout()
    result["explorer"] = bench_explorer(a.repeats)
    text = json.dumps(result, ensure_ascii=False, indent=2)
    print(text)
    if a.json:
        a.json.write_text(text)
    e = result["explorer"]
    print(f"\n탐색기: 새 문장 {e['new_sentence_ms_median']} ms, 종류·층·헤드 변경 {e['switch_ms_median']} ms "
          f"(중앙값, 목표 ≤ {e['target_ms']} ms)")
    if "training_from_scratch" in result:
        t = result["training_from_scratch"]
        print(f"학습: {t['train_seconds']} s (CPU {t['train_cpu_seconds']} s, {t['steps_per_s']} steps/s, "
              f"부하 {t['load_average_before_after']}), 보류 조합 완전 일치 "
              f"{t['test_unseen']['exact_match']:.1%}, 긴 문장 {t['test_long']['exact_match']:.1%}")


if __name__ == "__main__":
    main()
