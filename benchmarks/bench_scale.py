"""학습 속도: 기본 설정(TrainConfig)과 큰 설정(BIGGER), 이 기계에 있는 장치마다(CPU, 있으면 CUDA).

    python benchmarks/bench_scale.py                    # CPU(스레드 1개) + CUDA가 있으면 GPU
    python benchmarks/bench_scale.py --steps 40 --json out.json
    python benchmarks/bench_scale.py --device cuda      # GPU만

각 줄은 train()을 --steps 스텝 돌려, 첫 스텝(메모리 할당, 워밍업)을 뺀 나머지 스텝의 초당 스텝 수를 잽니다
(on_step이 불리는 시각 사이; 손실을 .item()으로 꺼내므로 GPU도 그 스텝이 끝난 뒤의 시각입니다).
CPU에서는 이 프로세스의 CPU 시간 기준 속도도 적습니다: 스레드 1개이므로 다른 프로그램이 CPU를 나눠 쓰는 기계에서도
"한가한 코어 하나"의 속도에 가깝습니다. "전체 예상"은 그 설정의 스텝 수를 벽시계 속도로 나눈 값으로, 실제로 끝까지
학습해 잰 값이 아닙니다.
정확도는 재지 않습니다(끝까지 학습해야 하므로): 기본 설정의 정확도는 배포된 체크포인트에 기록되어 있습니다.
"""
import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import torch  # noqa: E402


def measure(name, preset, device, steps):
    from transformer_lib.toy import grammar
    from transformer_lib.toy import train as T

    cfg = T.TrainConfig(**dict(preset, steps=steps, device=device))
    full_steps = T.TrainConfig(**preset).steps
    t = time.perf_counter()
    data = grammar.make_splits(cfg.data_seed, n_train=cfg.n_train, max_train_optional=cfg.max_optional)
    t_data = time.perf_counter() - t
    stamps = []
    model, *_ = T.train(cfg, data, progress=False,
                        on_step=lambda *a: stamps.append((time.perf_counter(), time.process_time())))
    rate = (len(stamps) - 1) / (stamps[-1][0] - stamps[0][0])            # 벽시계 기준
    cpu_rate = (len(stamps) - 1) / (stamps[-1][1] - stamps[0][1])        # 이 프로세스의 CPU 시간 기준
    amp = T.distributed.mixed_precision(torch.device(device), cfg.amp)[0]
    return {"preset": name, "device": torch.cuda.get_device_name() if device == "cuda" else "cpu",
            "threads": cfg.threads, "amp": str(amp).replace("torch.", "") if amp else "float32",
            "params": sum(p.numel() for p in model.parameters()), "batch_size": cfg.batch_size,
            "data_seconds": round(t_data, 1), "steps_measured": steps - 1, "steps_per_s": round(rate, 2),
            "steps_per_cpu_s": round(cpu_rate, 2) if device == "cpu" else None,
            "full_steps": full_steps, "full_minutes_estimated": round(full_steps / rate / 60, 1)}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--steps", type=int, default=21, help="설정마다 돌릴 스텝 수(첫 스텝은 빼고 잽니다)")
    p.add_argument("--device", choices=["cpu", "cuda", "all"], default="all")
    p.add_argument("--json", type=Path)
    a = p.parse_args()
    from transformer_lib.toy import train as T

    devices = ["cpu", "cuda"] if a.device == "all" else [a.device]
    devices = [d for d in devices if d == "cpu" or torch.cuda.is_available()]
    if not devices:
        sys.exit("CUDA를 쓸 수 없습니다 (CUDA is not available)")
    rows = [measure(name, preset, d, a.steps) for d in devices
            for name, preset in (("default", {}), ("bigger", T.BIGGER))]
    result = {"torch": str(torch.__version__), "cpu_count": os.cpu_count(),
              "load_average": round(os.getloadavg()[0], 2), "rows": rows}
    print(json.dumps(result, ensure_ascii=False, indent=2))
    if a.json:
        a.json.write_text(json.dumps(result, ensure_ascii=False, indent=2))
    print("\n| 설정 | 장치 | 정밀도 | 파라미터 | 배치 | steps/s (벽시계) | steps/s (CPU 시간) | 전체 스텝 "
          "| 전체 예상(분) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['preset']} | {r['device']} | {r['amp']} | {r['params']:,} | {r['batch_size']} | "
              f"{r['steps_per_s']} | {r['steps_per_cpu_s'] or '-'} | {r['full_steps']} | "
              f"{r['full_minutes_estimated']} |")


if __name__ == "__main__":
    main()
