"""transformer_lib과 PyTorch 내장 모듈의 속도를 CPU에서 비교합니다 (시간 비율, 반복 측정의 중앙값).

    python benchmarks/bench_library.py            # 기본: 스레드 1개, 반복 15번
    python benchmarks/bench_library.py --threads 2 --repeats 31

비교하는 것 (모두 순전파 + 역전파, 같은 크기·같은 가중치):
  1. 멀티헤드 어텐션 빠른 경로(need_weights=False)  vs  nn.MultiheadAttention(need_weights=False)
  2. 같은 비교 + 마스크(패딩 + 룩어헤드)
  3. 가중치 경로(need_weights=True, 헤드별 가중치) vs  nn.MultiheadAttention(need_weights=True,
     average_attn_weights=False): 둘 다 (B, h, T_q, T_k) 가중치를 돌려줌
  4. 전체 모델 학습 한 걸음(forward + 손실 + backward + Adam step)
     tl.Transformer  vs  임베딩 + 위치 인코딩 + nn.Transformer + 출력 Linear (크기 같음)
  5. `import transformer_lib` 시간 vs `import torch` 시간 (새 파이썬 프로세스에서)

측정 방법: 먼저 워밍업(warmup)을 하고, 두 쪽을 번갈아(순서도 매번 바꿔) 재서 기계의 부하 변화가 한쪽에만
몰리지 않게 합니다. 한 번의 반복(repeat)은 여러 번 호출한 평균이고, 표에는 반복들의 중앙값(median)과
비율(우리 / PyTorch, 1보다 작으면 우리가 빠름: 같은 반복에서 잇달아 잰 두 값의 비율들의 중앙값)을 적습니다.
시계: 스레드 1개(기본)일 때는 이 프로세스의 CPU 시간(time.process_time)을 씁니다. 다른 프로그램이 CPU를
나눠 쓰는 동안 기다린 시간이 빠지므로, 바쁜 기계에서도 비율이 덜 흔들립니다. 스레드가 여럿이면 벽시계 시간.
"""
import argparse
import math
import platform
import resource
import statistics
import subprocess
import sys
import time
import unicodedata

import torch
import torch.nn.functional as F
from torch import nn

import transformer_lib as tl

PAD = 0


# ---------------------------------------------------------------- 측정 도구

def measure(fns: dict, args, min_time: float = 0.05) -> dict:
    """fns의 함수들을 번갈아 재고 {이름: [반복마다 한 번 호출에 걸린 초]}를 돌려줍니다."""
    clock = args.timer
    for fn in fns.values():
        for _ in range(args.warmup):
            fn()
    number = {}
    for name, fn in fns.items():  # 한 반복이 min_time 이상 걸리도록 호출 횟수를 정함
        t0 = clock()
        fn()
        number[name] = max(1, math.ceil(min_time / max(clock() - t0, 1e-9)))
    times = {name: [] for name in fns}
    for r in range(args.repeats):
        items = list(fns.items())
        for name, fn in items if r % 2 == 0 else items[::-1]:
            t0 = clock()
            for _ in range(number[name]):
                fn()
            times[name].append((clock() - t0) / number[name])
    return times


def summarize(label, times) -> tuple:
    """(이름, 우리 중앙값, torch 중앙값, 비율). 비율은 같은 반복에서 잇달아 잰 두 값의 비율들의 중앙값."""
    ours, theirs = times["ours"], times["torch"]
    ratio = statistics.median(o / t for o, t in zip(ours, theirs))
    return label, statistics.median(ours), statistics.median(theirs), ratio


# ---------------------------------------------------------------- 1~3. 멀티헤드 어텐션

def bench_mha(args) -> list:
    B, T, d_model, h = args.mha_batch, args.mha_len, args.mha_d_model, args.mha_heads
    torch.manual_seed(0)
    ours = tl.MultiHeadAttention(d_model, h)
    theirs = nn.MultiheadAttention(d_model, h, batch_first=True)  # 같은 크기; 값이 같은지는 tests/가 확인
    x = torch.randn(B, T, d_model, requires_grad=True)
    grad_out = torch.randn(B, T, d_model)

    tokens = torch.randint(1, 100, (B, T))
    tokens[B // 2:, -T // 4:] = PAD                      # 절반의 문장은 뒤 1/4이 패딩
    our_mask = tl.combine_masks(tl.padding_mask(tokens, PAD), tl.causal_mask(T))  # True = 참여
    torch_attn_mask = ~tl.causal_mask(T)                 # nn.MultiheadAttention: True = 가림
    torch_key_padding = tokens == PAD

    def step(module, call):
        def run():
            module.zero_grad(set_to_none=True)
            x.grad = None
            call()[0].backward(grad_out)
        return run

    rows = []
    cases = [
        ("MHA 빠른 경로 (need_weights=False)",
         lambda: ours(x, x, x), lambda: theirs(x, x, x, need_weights=False)),
        ("MHA 빠른 경로 + 패딩·룩어헤드 마스크",
         lambda: ours(x, x, x, mask=our_mask),
         lambda: theirs(x, x, x, attn_mask=torch_attn_mask, key_padding_mask=torch_key_padding, need_weights=False)),
        ("MHA 가중치 경로 (need_weights=True)",
         lambda: ours(x, x, x, need_weights=True),
         lambda: theirs(x, x, x, need_weights=True, average_attn_weights=False)),
    ]
    for label, ours_call, torch_call in cases:
        times = measure({"ours": step(ours, ours_call), "torch": step(theirs, torch_call)}, args)
        rows.append(summarize(label, times))
    return rows


# ---------------------------------------------------------------- 4. 전체 모델 학습 한 걸음

class TorchSeq2Seq(nn.Module):
    """nn.Transformer에 우리 모델과 같은 임베딩(×√d_model) + 사인파 위치 인코딩 + 출력 Linear를 붙인 것."""

    def __init__(self, c: tl.TransformerConfig):
        super().__init__()
        self.d_model = c.d_model
        self.src_embed = nn.Embedding(c.src_vocab_size, c.d_model)
        self.tgt_embed = nn.Embedding(c.tgt_vocab_size, c.d_model)
        self.register_buffer("pe", tl.sinusoidal_positional_encoding(c.max_len, c.d_model), persistent=False)
        self.dropout = nn.Dropout(c.dropout)
        self.transformer = nn.Transformer(c.d_model, c.n_heads, c.n_layers, c.n_layers, c.d_ff, c.dropout,
                                          batch_first=True)
        self.to_logits = nn.Linear(c.d_model, c.tgt_vocab_size)

    def embed(self, emb, tokens):
        return self.dropout(emb(tokens) * math.sqrt(self.d_model) + self.pe[: tokens.shape[1]])

    def forward(self, src, tgt):
        T = tgt.shape[1]
        src_pad, tgt_pad = src == PAD, tgt == PAD            # True = 가림(PyTorch 규칙)
        causal = torch.ones(T, T, dtype=torch.bool).triu(1)
        y = self.transformer(self.embed(self.src_embed, src), self.embed(self.tgt_embed, tgt), tgt_mask=causal,
                             src_key_padding_mask=src_pad, tgt_key_padding_mask=tgt_pad,
                             memory_key_padding_mask=src_pad)
        return self.to_logits(y)


def bench_train_step(args) -> list:
    c = tl.TransformerConfig(src_vocab_size=args.vocab, tgt_vocab_size=args.vocab, d_model=args.d_model,
                             n_heads=args.heads, n_layers=args.layers, d_ff=args.d_ff, dropout=0.1, max_len=256)
    torch.manual_seed(0)
    ours, theirs = tl.Transformer(c).train(), TorchSeq2Seq(c).train()
    assert sum(p.numel() for p in ours.parameters()) + 4 * c.d_model == sum(p.numel() for p in theirs.parameters()), \
        "파라미터 수가 같아야 공정합니다 (nn.Transformer에는 마지막 LayerNorm 2개(4·d_model)가 더 있음)"
    B, L = args.batch, args.seq_len
    g = torch.Generator().manual_seed(1)
    src = torch.randint(4, c.src_vocab_size, (B, L), generator=g)
    tgt = torch.randint(4, c.tgt_vocab_size, (B, L + 1), generator=g)
    src[B // 2:, -L // 4:] = PAD
    tgt[B // 2:, -L // 4:] = PAD
    tgt_in, tgt_out = tgt[:, :-1], tgt[:, 1:]

    our_loss = tl.LabelSmoothingLoss(smoothing=0.1, ignore_index=PAD)

    def make_step(model, loss_fn):
        opt = torch.optim.Adam(model.parameters(), lr=1e-4, betas=(0.9, 0.98), eps=1e-9)

        def run():
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(src, tgt_in), tgt_out)
            loss.backward()
            opt.step()
        return run

    times = measure({
        "ours": make_step(ours, our_loss),
        "torch": make_step(theirs, lambda logits, target: F.cross_entropy(
            logits.flatten(0, 1), target.flatten(), ignore_index=PAD, label_smoothing=0.1)),
    }, args)
    return [summarize("모델 학습 한 걸음 (fwd+loss+bwd+Adam)", times)]


# ---------------------------------------------------------------- 5. import 시간

def bench_import(args) -> tuple:
    """새 프로세스에서 잰 import 시간(중앙값)과, -X importtime으로 잰 'torch를 뺀 우리 몫'.

    clock=cpu이면 자식 프로세스의 CPU 시간(user + sys), wall이면 벽시계 시간입니다.
    """
    def child_cpu():
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    clock = child_cpu if args.timer is time.process_time else time.perf_counter

    def wall(module):
        t0 = clock()
        subprocess.run([sys.executable, "-c", f"import {module}"], check=True)
        return clock() - t0

    def own_share():
        err = subprocess.run([sys.executable, "-X", "importtime", "-c", "import transformer_lib"],
                             check=True, capture_output=True, text=True).stderr
        cumulative = {}
        for line in err.splitlines():  # "import time: self | cumulative | name"
            if line.startswith("import time:") and "|" in line and not line.split("|")[0].strip().endswith("[us]"):
                _, cum, name = line.split("|")
                cumulative.setdefault(name.strip(), int(cum))
        return (cumulative["transformer_lib"] - cumulative["torch"]) / 1e6

    def top_level_modules(code):
        out = subprocess.run([sys.executable, "-c", code + "; import sys; print(' '.join(sys.modules))"],
                             check=True, capture_output=True, text=True).stdout
        return {name.split(".")[0] for name in out.split()}

    wall("torch")  # 디스크 캐시 워밍업
    times = {"transformer_lib": [], "torch": []}
    for r in range(args.import_repeats):
        for m in (["transformer_lib", "torch"] if r % 2 == 0 else ["torch", "transformer_lib"]):
            times[m].append(wall(m))
    own = statistics.median(own_share() for _ in range(args.import_repeats))
    # torch만 불러올 때보다 더 올라오는 패키지 (transformer_lib 자신 말고는 없어야 함: viz/toy는 지연 로딩)
    extra = top_level_modules("import transformer_lib") - top_level_modules("import torch") - {"transformer_lib"}
    return statistics.median(times["transformer_lib"]), statistics.median(times["torch"]), own, sorted(extra)


def cell(text, width):
    """한글은 화면에서 두 칸을 차지하므로 표시 폭으로 맞춥니다."""
    shown = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(0, width - shown)


# ---------------------------------------------------------------- 표

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--threads", type=int, default=1, help="torch.set_num_threads (기본 1: 부하에 덜 흔들림)")
    p.add_argument("--clock", choices=["cpu", "wall"], default=None,
                   help="cpu = 이 프로세스의 CPU 시간(기본, 스레드 1개일 때: 다른 프로세스를 기다린 시간 제외), "
                        "wall = 벽시계 시간(스레드가 여럿이면 기본)")
    p.add_argument("--repeats", type=int, default=15)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--import-repeats", type=int, default=5)
    p.add_argument("--mha-batch", type=int, default=32)
    p.add_argument("--mha-len", type=int, default=64)
    p.add_argument("--mha-d-model", type=int, default=256)
    p.add_argument("--mha-heads", type=int, default=8)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--seq-len", type=int, default=32)
    p.add_argument("--vocab", type=int, default=1000)
    p.add_argument("--d-model", type=int, default=128)
    p.add_argument("--heads", type=int, default=4)
    p.add_argument("--layers", type=int, default=2)
    p.add_argument("--d-ff", type=int, default=512)
    args = p.parse_args(argv)
    torch.set_num_threads(args.threads)
    clock = args.clock or ("cpu" if args.threads == 1 else "wall")
    args.timer = time.process_time if clock == "cpu" else time.perf_counter

    print(f"torch {torch.__version__}, transformer_lib {tl.__version__}, python {platform.python_version()}, "
          f"CPU threads={torch.get_num_threads()}, clock={clock}, repeats={args.repeats} (warmup {args.warmup})")
    print(f"MHA: B={args.mha_batch}, T={args.mha_len}, d_model={args.mha_d_model}, h={args.mha_heads}  |  "
          f"model: B={args.batch}, S=T={args.seq_len}, V={args.vocab}, d_model={args.d_model}, h={args.heads}, "
          f"N={args.layers}, d_ff={args.d_ff}, dropout=0.1")
    rows = bench_mha(args) + bench_train_step(args)
    goals = {rows[0][0]: 1.05, rows[-1][0]: 1.10}

    print()
    print(f"| {cell('비교 (순전파 + 역전파)', 40)} | {'ours ms':>9} | {'torch ms':>9} | {'ours/torch':>10} | {'목표':>8} |")
    print(f"|{'-' * 42}|{'-' * 11}|{'-' * 11}|{'-' * 12}|{'-' * 10}|")
    for label, ours_s, torch_s, ratio in rows:
        goal = goals.get(label)
        verdict = "" if goal is None else (f"≤{goal:.2f} " + ("OK" if ratio <= goal else "NO"))
        print(f"| {cell(label, 40)} | {ours_s * 1e3:9.2f} | {torch_s * 1e3:9.2f} | {ratio:9.3f}x | {verdict:>8} |")
    tl_s, torch_s, own, extra = bench_import(args)
    print(f"| {cell('import transformer_lib vs import torch', 40)} | {tl_s * 1e3:9.0f} | {torch_s * 1e3:9.0f} | "
          f"{tl_s / torch_s:9.3f}x | {'':>8} |")
    print(f"\nimport: 새 프로세스에서 잰 시간의 중앙값({args.import_repeats}번, 인터프리터 시작 포함). "
          f"-X importtime으로 잰 transformer_lib 자신의 몫(torch 제외): {own * 1e3:.1f} ms")
    print(f"`import transformer_lib`이 torch 말고 더 불러온 최상위 패키지: {extra} (비어 있어야 함)")

if __name__ == "__main__":
    main()
