"""배포된 모델을 불러오는 시간 — 새 프로세스마다(콜드), `import torch` 는 빼고 잽니다.

    python benchmarks/bench_load.py                 # 5번, 각각 새 프로세스
    python benchmarks/bench_load.py --runs 10
    python benchmarks/bench_load.py --old 38ebd7b   # 비교: 그 커밋의 이전 형식(.pt)을 그 커밋의 코드로 한 번 불러오기

잰 구간: `import torch` 가 끝난 뒤부터 `toy.load_pretrained()` 가 (model, 어휘, 어휘, extra) 를 돌려줄 때까지
(transformer_lib 불러오기 + 파일 읽기 + sha256 확인 + 모델 만들기 + 가중치 넣기). 목표: 100 ms 이하.
스레드 1개(OMP_NUM_THREADS=1)로 잽니다 — 책의 기본 설정과 같습니다. 벽시계 시간과 CPU 시간을 함께 적습니다
(바쁜 기계에서는 벽시계 시간이 부하만큼 늘어남; 함께 찍는 1분 평균 부하를 보세요).
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import time
import torch
t0, c0 = time.perf_counter(), time.process_time()
from transformer_lib.toy import load_pretrained
t1 = time.perf_counter()
model, sv, tv, extra = load_pretrained()
t2, c2 = time.perf_counter(), time.process_time()
print(f"{(t2 - t0) * 1000:.2f} {(t1 - t0) * 1000:.2f} {(t2 - t1) * 1000:.2f} {(c2 - c0) * 1000:.2f}")
"""

OLD_CHILD = r"""
import importlib.util, sys, time
import torch
sys.path.insert(0, {root!r})
t0 = time.perf_counter()
spec = importlib.util.spec_from_file_location("old_checkpoint", {code!r})
old = importlib.util.module_from_spec(spec); spec.loader.exec_module(old)
model, extra = old.load_checkpoint({ckpt!r})
print(f"{{(time.perf_counter() - t0) * 1000:.2f}}")
"""


def _env():
    env = dict(os.environ, OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def run_new(runs: int):
    rows = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, check=True, env=_env(),
                             cwd=tempfile.gettempdir())
        rows.append([float(x) for x in out.stdout.split()])
    return rows


def run_old(rev: str):
    with tempfile.TemporaryDirectory() as d:
        code = Path(d) / "old_checkpoint.py"
        src = subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:transformer_lib/checkpoint.py"],
                             capture_output=True, text=True, check=True).stdout
        code.write_text(src.replace("from .model import", "from transformer_lib.model import"))
        ckpt = Path(d) / "ko_en.pt"
        ckpt.write_bytes(subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:transformer_lib/checkpoints/ko_en.pt"],
                                        capture_output=True, check=True).stdout)
        out = subprocess.run([sys.executable, "-c", OLD_CHILD.format(root=str(ROOT), code=str(code), ckpt=str(ckpt))],
                             capture_output=True, text=True, check=True, env=_env())
        return float(out.stdout.split()[-1])


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--old", metavar="REV", help="이전 형식(.pt)이 있는 커밋: 그 코드로 한 번 불러와 비교")
    args = p.parse_args(argv)
    import torch

    from transformer_lib.toy import train

    rows = run_new(args.runs)
    total = [r[0] for r in rows]
    print(f"파일 {train.CHECKPOINT.name} ({train.CHECKPOINT.stat().st_size / 1e6:.2f} MB), torch {torch.__version__}, "
          f"Python {sys.version.split()[0]}, 새 프로세스 {args.runs}번, 스레드 1개, 부하 {os.getloadavg()[0]:.2f}")
    print(f"load_pretrained (import torch 제외): 중앙값 {statistics.median(total):.1f} ms, "
          f"최소 {min(total):.1f} ms, 최대 {max(total):.1f} ms  (목표 ≤ 100 ms)")
    print(f"  CPU 시간(다른 프로그램이 CPU를 함께 쓰면 벽시계보다 덜 늘어남) 중앙값 {statistics.median(r[3] for r in rows):.1f} ms")
    print(f"  그중 transformer_lib 불러오기 중앙값 {statistics.median(r[1] for r in rows):.1f} ms, "
          f"파일→모델 중앙값 {statistics.median(r[2] for r in rows):.1f} ms")
    if args.old:
        print(f"이전 형식 ({args.old}의 ko_en.pt, 그 커밋의 load_checkpoint, 한 번): {run_old(args.old):.0f} ms")
    return statistics.median(total)


if __name__ == "__main__":
    main()
