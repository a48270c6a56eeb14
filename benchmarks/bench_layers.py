"""논문 표 1을 이 컴퓨터에서 재기: 층 하나의 시간과 메모리, 셀프 어텐션 vs 순환층(LSTM) vs 합성곱(Conv1d).

    python benchmarks/bench_layers.py                 # 약 1~2분(CPU 스레드 1개) → transformer_lib/results/table1.json
    python benchmarks/bench_layers.py --d-model 128 --lengths 8 16 32 64 128 256 512 1024 2048

무엇을 재는가 (입력 x: (B, n, d), 층마다 d → d):
- 셀프 어텐션(가중치 경로): tl.MultiHeadAttention(need_weights=True). n×n 가중치 행렬을 실제로 만듭니다(논문의 계산).
- 셀프 어텐션(빠른 경로): 같은 층, need_weights=False → F.scaled_dot_product_attention(합친 커널).
- 순환층: nn.LSTM(d, d). 위치를 하나씩 차례로 처리합니다(순차 연산 O(n)).
- 합성곱: nn.Conv1d(d, d, kernel_size=3, padding=1).
시간: 순전파 한 번의 CPU 시간(time.process_time, 스레드 1개)의 중앙값. 다른 프로그램과 CPU를 나눠 써도 덜 흔들립니다.
메모리: 순전파가 역전파를 위해 저장하는 텐서(활성값)의 바이트 수. saved_tensors_hooks로 셉니다(입력 포함, 파라미터 제외,
같은 저장소는 한 번). 기계와 상관없이 같은 값이 나옵니다.
FLOPs: 곱셈-덧셈을 2로 센 이론값(투영 포함). 어텐션 2·(4nd² + 2n²d), LSTM 2·(8nd²), 합성곱 2·(k·n·d²).
"""
from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from pathlib import Path

import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import transformer_lib as tl  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "transformer_lib" / "results" / "table1.json"


class Attn(nn.Module):
    def __init__(self, d, h, need_weights):
        super().__init__()
        self.mha, self.need_weights = tl.MultiHeadAttention(d, h), need_weights

    def forward(self, x):
        return self.mha(x, x, x, need_weights=self.need_weights)[0]


class LSTM(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.rnn = nn.LSTM(d, d, batch_first=True)

    def forward(self, x):
        return self.rnn(x)[0]


class Conv(nn.Module):
    def __init__(self, d, k):
        super().__init__()
        self.conv = nn.Conv1d(d, d, k, padding=k // 2)

    def forward(self, x):                       # (B, n, d) → (B, d, n) → conv → (B, n, d)
        return self.conv(x.transpose(1, 2)).transpose(1, 2)


def layers(d, h, k):
    return {"self_attention": Attn(d, h, True), "self_attention_fused": Attn(d, h, False),
            "recurrent_lstm": LSTM(d), "convolution": Conv(d, k)}


def flops(name, n, d, k):
    if name.startswith("self_attention"):
        return 2 * (4 * n * d * d + 2 * n * n * d)
    if name == "recurrent_lstm":
        return 2 * 8 * n * d * d
    return 2 * k * n * d * d


def saved_bytes(layer, x) -> int:
    """순전파가 역전파용으로 저장한 텐서의 바이트 수(입력 포함, 파라미터는 빼고, 같은 저장소는 한 번만)."""
    skip = {p.data_ptr() for p in layer.parameters()}
    seen = {}

    def pack(t):
        ptr = t.untyped_storage().data_ptr()
        if ptr not in skip:
            seen[ptr] = t.untyped_storage().nbytes()
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        layer(x.requires_grad_(True))
    return sum(seen.values())


@torch.no_grad()
def cpu_time(layer, x, repeats, min_seconds=0.05) -> float:
    """순전파 한 번의 CPU 시간(초): 한 번에 min_seconds 이상 되도록 여러 번 부른 평균의 중앙값."""
    layer(x)                                   # 워밍업
    t = time.process_time()
    layer(x)
    one = max(time.process_time() - t, 1e-6)
    inner = max(1, int(min_seconds / one))
    times = []
    for _ in range(repeats):
        t = time.process_time()
        for _ in range(inner):
            layer(x)
        times.append((time.process_time() - t) / inner)
    return statistics.median(times)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--d-model", type=int, default=128, help="책의 모델과 같은 128")
    p.add_argument("--heads", type=int, default=4)
    p.add_argument("--kernel", type=int, default=3)
    p.add_argument("--batch", type=int, default=1)
    p.add_argument("--lengths", type=int, nargs="+", default=[8, 16, 32, 64, 128, 256, 512, 1024, 2048])
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--out", type=Path, default=OUT)
    args = p.parse_args(argv)
    torch.set_num_threads(1)
    torch.manual_seed(0)
    d = args.d_model
    mods = {name: m.eval() for name, m in layers(d, args.heads, args.kernel).items()}
    rows = []
    t0 = time.perf_counter()
    for n in args.lengths:
        x = torch.randn(args.batch, n, d)
        for name, m in mods.items():
            row = {"layer": name, "n": n, "seconds": cpu_time(m, x, args.repeats),
                   "saved_bytes": saved_bytes(m.train(), x.clone()), "flops": flops(name, n, d, args.kernel) * args.batch}
            m.eval()
            rows.append(row)
            print(f"n={n:5d} {name:22s} {row['seconds'] * 1e3:9.3f} ms  {row['saved_bytes'] / 2**20:9.2f} MiB  "
                  f"{row['flops'] / 1e9:8.3f} GFLOP", flush=True)
    meta = {"command": "python benchmarks/bench_layers.py " + " ".join(argv if argv is not None else sys.argv[1:]),
            "d_model": d, "heads": args.heads, "kernel": args.kernel, "batch": args.batch, "repeats": args.repeats,
            "clock": "process_time (CPU), torch threads 1", "torch": str(torch.__version__),
            "transformer_lib": tl.__version__, "python": platform.python_version(),
            "machine": f"{platform.platform()} ({platform.processor() or platform.machine()})",
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "wall_seconds": round(time.perf_counter() - t0, 1)}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"meta": meta, "rows": rows}, ensure_ascii=False, indent=1) + "\n")
    print(f"저장: {args.out} ({meta['wall_seconds']} s)")


if __name__ == "__main__":
    main()
