"""장난감 한국어→영어 번역기 학습: 논문의 방법을 아주 작은 규모로.

    python -m transformer_lib.toy.train                 # 책에 실린 체크포인트를 다시 만듭니다(2분 이내, CPU 2코어)
    python -m transformer_lib.toy.train --quick         # 몇 초짜리 맛보기 학습(저장하지 않음)
    python -m transformer_lib.toy.train --steps 500 --out /tmp/ko_en.safetensors
    python -m transformer_lib.toy.train --bigger --device cuda          # 더 큰 설정을 GPU 한 장에서(혼합 정밀도)
    torchrun --standalone --nproc_per_node 4 -m transformer_lib.toy.train --bigger --device cuda   # GPU 4장(DDP)

레시피(논문 5장의 축소판):
- 워밍업(warmup) 학습률 스케줄 NoamSchedule, Adam(β1=0.9, β2=0.98, ε=1e-9)
- 라벨 스무딩(label smoothing) ε=0.1
- 교사 강요(teacher forcing): 디코더 입력 = 정답 앞에 <bos>, 목표 = 정답 뒤에 <eos> (한 칸 밀기)
- 패딩 마스크(padding mask)와 룩어헤드 마스크(look-ahead mask)는 모델이 pad_id로 만듭니다.
- 평가: 보류한 조합(test_unseen)과 더 긴 문장(test_long)에서 탐욕적 디코딩의 완전 일치(exact match)와 BLEU(sacrebleu).

모양: src (B, S), tgt_in/tgt_out (B, T), logits (B, T, V).
"""
from __future__ import annotations

import argparse
import contextlib
import hashlib
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import torch

import transformer_lib as tl

from . import distributed, grammar

CHECKPOINT = Path(__file__).resolve().parent.parent / "checkpoints" / "ko_en.safetensors"
MAX_DECODE_EXTRA = 8  # 탐욕적 디코딩 최대 길이 = 원문 토큰 수 × 2 + 이만큼


@dataclass
class TrainConfig:
    steps: int = 1000            # 업데이트 횟수
    batch_size: int = 64
    d_model: int = 128
    n_heads: int = 4
    n_layers: int = 2
    d_ff: int = 256
    dropout: float = 0.0         # CPU에서는 드롭아웃이 비쌉니다(benchmarks 참고). 이 데이터에서는 없어도 일반화됩니다.
    warmup: int = 100            # 워밍업 스텝 수
    lr_factor: float = 0.32      # NoamSchedule의 factor: 최고 학습률 = factor·d_model^-0.5·warmup^-0.5 ≈ 2.8e-3
    smoothing: float = 0.1       # 라벨 스무딩 ε
    max_len: int = 64            # 위치 인코딩 표의 길이(문장 최대 토큰 수)
    seed: int = 0                # 모델 초기화와 배치 순서
    data_seed: int = grammar.SEED
    n_train: int = 24000
    max_optional: int = 3        # 학습 문장에 넣는 선택 성분(시간·장소·방법…)의 최대 개수: 클수록 긴 문장
    threads: int = 1             # 학습에 쓸 torch 스레드 수. 1이면 CPU를 다른 일과 나눠 써도 느려지지 않고, 결과가 언제나 같음
    device: str = "cpu"          # "cpu" 또는 "cuda". torchrun으로 띄우면 프로세스마다 GPU 한 장(LOCAL_RANK)
    amp: bool = True             # CUDA에서 혼합 정밀도(mixed precision). CPU에서는 쓰지 않음(distributed.mixed_precision)

    def peak_lr(self) -> float:
        return tl.noam_lr(self.warmup, self.d_model, self.warmup, self.lr_factor)


QUICK = dict(steps=40, n_train=3000)  # 맛보기: 노트북에서 몇 초
# GPU에 맡길 만한 크기: 더 넓고(d_model 256) 깊고(4층) 더 긴 문장(선택 성분 4개까지)을 더 많이(10만 문장), 큰 배치로.
# 걸리는 시간은 README의 표(어디서 잰 값인지 함께 적음)를 보세요.
BIGGER = dict(d_model=256, n_heads=8, n_layers=4, d_ff=1024, dropout=0.1, batch_size=256, steps=3000, warmup=400,
              lr_factor=0.5, n_train=100_000, max_optional=4)


# ---------------------------------------------------------------------------------------------------------------
# 데이터 → 텐서
# ---------------------------------------------------------------------------------------------------------------
def build_vocabs(examples):
    """학습 문장으로 한국어(원문)·영어(번역문) 어휘를 만듭니다 (공백 단위 토큰)."""
    return tl.Vocab.build([e.ko for e in examples]), tl.Vocab.build([e.en for e in examples])


def pad_batch(seqs, pad_id: int = 0) -> torch.Tensor:
    """길이가 다른 정수 목록들 → (B, T_max) 텐서, 남는 자리는 pad_id."""
    T = max(len(s) for s in seqs)
    out = torch.full((len(seqs), T), pad_id, dtype=torch.long)
    for i, s in enumerate(seqs):
        out[i, : len(s)] = torch.tensor(s, dtype=torch.long)
    return out


def encode_examples(examples, src_vocab, tgt_vocab):
    """→ src (N, S), tgt (N, T+2) = <bos> 영어 <eos>. 교사 강요에서 tgt[:, :-1]이 입력, tgt[:, 1:]이 목표."""
    src = pad_batch([src_vocab.encode(e.ko) for e in examples], src_vocab.pad_id)
    tgt = pad_batch([tgt_vocab.encode(e.en, add_bos=True, add_eos=True) for e in examples], tgt_vocab.pad_id)
    return src, tgt


def trim(x: torch.Tensor, pad_id: int = 0) -> torch.Tensor:
    """배치 안에서 모두 패딩인 오른쪽 열을 잘라 냅니다(계산 절약)."""
    keep = int((x != pad_id).sum(dim=1).max())
    return x[:, :keep]


def make_model(src_vocab, tgt_vocab, cfg: TrainConfig) -> tl.Transformer:
    torch.manual_seed(cfg.seed)
    return tl.Transformer(tl.TransformerConfig(
        src_vocab_size=len(src_vocab), tgt_vocab_size=len(tgt_vocab), d_model=cfg.d_model, n_heads=cfg.n_heads,
        n_layers=cfg.n_layers, d_ff=cfg.d_ff, dropout=cfg.dropout, max_len=cfg.max_len,
        pad_id=src_vocab.pad_id,
    ))


# ---------------------------------------------------------------------------------------------------------------
# 학습
# ---------------------------------------------------------------------------------------------------------------
def train(cfg: TrainConfig | None = None, data: grammar.ToyData | None = None, progress: bool = True,
          log_every: int = 50, on_step=None, model_fn=None):
    """모델을 학습해 (model, src_vocab, tgt_vocab, history)를 돌려줍니다. 돌려주는 모델은 언제나 CPU에 있습니다.

    history: {"step": [...], "loss": [...], "lr": [...], "seconds": 학습에 걸린 벽시계 시간(평가 제외),
              "cpu_seconds": 그동안 쓴 CPU 시간}. 스레드 1개로 학습하면 CPU 시간은 다른 프로세스가 CPU를 나눠 쓰고
    있어도 "이 일만 할 때 걸릴 시간"에 가깝습니다.
    cfg.device="cuda"면 GPU에서(혼합 정밀도) 학습합니다. torchrun으로 띄워 프로세스 그룹이 있으면 DDP로 학습합니다
    (distributed 모듈 참고). on_step(step, model, idx, loss)은 스텝마다 불립니다(idx: 이 프로세스가 본 예문 번호).
    model_fn(src_vocab, tgt_vocab, cfg)를 주면 make_model 대신 그것으로 모델을 만듭니다(변형 비교: toy/ablate.py).
    """
    cfg = cfg or TrainConfig()
    data = data or grammar.make_splits(cfg.data_seed, n_train=cfg.n_train, max_train_optional=cfg.max_optional)
    device = distributed.check_device(cfg.device)
    src_vocab, tgt_vocab = build_vocabs(data.train)
    src_all, tgt_all = encode_examples(data.train, src_vocab, tgt_vocab)
    model = (model_fn or make_model)(src_vocab, tgt_vocab, cfg).to(device)
    model.train()
    ddp_model = distributed.wrap(model, device)            # 프로세스가 1개면 model 그대로
    opt = torch.optim.Adam(model.parameters(), lr=1.0, betas=(0.9, 0.98), eps=1e-9)
    sched = tl.NoamSchedule(opt, cfg.d_model, cfg.warmup, cfg.lr_factor)
    loss_fn = tl.LabelSmoothingLoss(cfg.smoothing, ignore_index=tgt_vocab.pad_id)
    amp_dtype, scaler = distributed.mixed_precision(device, cfg.amp)
    batches = global_batches(len(src_all), cfg.batch_size, cfg.seed)

    from tqdm.auto import tqdm

    history = {"step": [], "loss": [], "lr": []}
    running = None
    with torch_threads(cfg.threads):
        t0, c0 = time.perf_counter(), time.process_time()
        bar = tqdm(range(1, cfg.steps + 1), desc="학습", disable=not (progress and distributed.is_main()),
                   mininterval=0.5)
        for step in bar:
            idx = distributed.my_share(next(batches))           # 전체 배치 중 이 프로세스의 몫
            src, tgt = trim(src_all[idx]).to(device), trim(tgt_all[idx]).to(device)
            tgt_in, tgt_out = tgt[:, :-1], tgt[:, 1:]          # 교사 강요: 한 칸 밀린 정답
            with torch.autocast(device.type, dtype=amp_dtype, enabled=amp_dtype is not None):
                logits = ddp_model(src, tgt_in)                # (B, T, V)
                loss = loss_fn(logits, tgt_out)
            loss, loss_value = distributed.token_weighted(loss, (tgt_out != tgt_vocab.pad_id).sum())
            opt.zero_grad(set_to_none=True)
            scaler.scale(loss).backward()                      # (CPU에서는 scaler가 꺼져 있어 loss.backward()와 같음)
            scaler.step(opt)
            scaler.update()
            sched.step()
            running = loss_value if running is None else 0.9 * running + 0.1 * loss_value
            if on_step:
                on_step(step, model, idx, loss_value)
            if step % log_every == 0 or step == cfg.steps:
                history["step"].append(step)
                history["loss"].append(running)
                history["lr"].append(sched.get_last_lr()[0])
                bar.set_postfix(loss=f"{running:.3f}")
        history["seconds"] = time.perf_counter() - t0          # 벽시계 시간
        history["cpu_seconds"] = time.process_time() - c0      # 이 프로세스가 실제로 쓴 CPU 시간(모든 스레드의 합)
    model.cpu().eval()
    return model, src_vocab, tgt_vocab, history


def global_batches(n: int, batch_size: int, seed: int):
    """예문 번호의 전체 배치 (batch_size,)를 끝없이 내놓습니다. 한 바퀴(epoch)를 다 돌면 다시 섞습니다.

    시드가 같으면 순서도 같으므로, 여러 프로세스가 따로 불러도 모두 같은 전체 배치를 봅니다."""
    gen = torch.Generator().manual_seed(seed)
    order, pos = torch.randperm(n, generator=gen), 0
    while True:
        if pos + batch_size > n:
            order, pos = torch.randperm(n, generator=gen), 0
        yield order[pos: pos + batch_size]
        pos += batch_size


# ---------------------------------------------------------------------------------------------------------------
# 번역과 평가
# ---------------------------------------------------------------------------------------------------------------
@contextlib.contextmanager
def torch_threads(n: int):
    """이 블록 동안만 torch 스레드를 n개로 (끝나면 원래대로)."""
    old = torch.get_num_threads()
    if n and n != old:
        torch.set_num_threads(n)
    try:
        yield
    finally:
        if n and n != old:
            torch.set_num_threads(old)


def single_thread():
    """이 블록 동안만 torch 스레드를 1개로 (끝나면 원래대로).

    이 모델의 추론은 연산 하나하나가 아주 작아서, 스레드를 나누는 비용이 계산에 비해 큽니다. CPU를 다른
    프로세스와 나눠 쓰는 중이면 스레드 2개가 서로를 기다리느라 수십 배 느려지기도 합니다(benchmarks/bench_toy.py).
    한가한 2코어에서는 배치 평가가 스레드 2개보다 느리지만, 언제 재도 비슷한 시간이 나옵니다.
    """
    return torch_threads(1)


@torch.no_grad()
def translate(model, src_vocab, tgt_vocab, sentences, beam_size: int = 0, batch_size: int = 500) -> list:
    """한국어 문장들 → 영어 문장들. beam_size=0이면 탐욕적 디코딩(배치), 아니면 빔 서치(문장마다 하나씩).

    추론은 스레드 1개로 합니다(single_thread 참고)."""
    model.eval()
    out = []
    with single_thread():
        for i in range(0, len(sentences), batch_size):
            chunk = sentences[i: i + batch_size]
            src = pad_batch([src_vocab.encode(s) or [src_vocab.unk_id] for s in chunk], src_vocab.pad_id)
            max_len = src.shape[1] * 2 + MAX_DECODE_EXTRA
            if beam_size:
                for j in range(len(chunk)):
                    row = trim(src[j: j + 1])
                    ys = tl.beam_search(model, row, tgt_vocab.bos_id, tgt_vocab.eos_id, max_len, beam_size)
                    out.append(_ids_to_text(ys[0], tgt_vocab))
            else:
                ys = tl.greedy_decode(model, src, tgt_vocab.bos_id, tgt_vocab.eos_id, max_len)
                out.extend(_ids_to_text(row, tgt_vocab) for row in ys)
    return out


def _ids_to_text(ids, tgt_vocab) -> str:
    ids = ids.tolist()
    if tgt_vocab.eos_id in ids:
        ids = ids[: ids.index(tgt_vocab.eos_id)]
    return tgt_vocab.decode(ids)


def evaluate(model, src_vocab, tgt_vocab, examples, beam_size: int = 0) -> dict:
    """완전 일치 비율(exact match), 코퍼스 BLEU(sacrebleu), 틀린 예 목록."""
    import sacrebleu

    hyps = translate(model, src_vocab, tgt_vocab, [e.ko for e in examples], beam_size)
    refs = [e.en for e in examples]
    correct = [h == r for h, r in zip(hyps, refs)]
    bleu = sacrebleu.corpus_bleu(hyps, [refs]).score if examples else float("nan")
    errors = [(e, h) for e, h, c in zip(examples, hyps, correct) if not c]
    return {"n": len(examples), "exact_match": sum(correct) / max(len(examples), 1), "bleu": bleu,
            "hypotheses": hyps, "errors": errors}


# ---------------------------------------------------------------------------------------------------------------
# 저장과 불러오기
# ---------------------------------------------------------------------------------------------------------------
def file_sha256(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def save(path, model, src_vocab, tgt_vocab, cfg: TrainConfig, info: dict) -> str:
    """체크포인트(safetensors, 어휘·설정·sha256 을 메타데이터에 담음)를 저장하고 그 sha256 을 돌려줍니다."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    extra = {"src_vocab": src_vocab.to_dict(), "tgt_vocab": tgt_vocab.to_dict(), "train_config": asdict(cfg),
             "info": info}
    return tl.save_checkpoint(path, model, extra)


def load(path=CHECKPOINT, check_sha: bool = True):
    """→ (model, src_vocab, tgt_vocab, extra). sha256 은 파일 안의 값으로 늘 확인합니다(check_sha 는 예전 호환용)."""
    model, extra = tl.load_checkpoint(path)
    return model, tl.Vocab.from_dict(extra["src_vocab"]), tl.Vocab.from_dict(extra["tgt_vocab"]), extra


def load_pretrained():
    """책과 함께 배포되는 학습된 모델 → (model, src_vocab, tgt_vocab, extra)."""
    return load(CHECKPOINT)


def _load_average():
    """학습하는 동안 컴퓨터가 얼마나 바빴는지(1분 평균 부하). 시간을 해석할 때 참고합니다."""
    try:
        import os

        return round(os.getloadavg()[0], 2)
    except (OSError, AttributeError):
        return None


# ---------------------------------------------------------------------------------------------------------------
# 명령줄
# ---------------------------------------------------------------------------------------------------------------
def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m transformer_lib.toy.train", description=__doc__.split("\n")[0])
    size = p.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="맛보기: 적은 데이터와 몇십 스텝만 (저장하지 않음)")
    size.add_argument("--bigger", action="store_true",
                      help="GPU에 맡길 만한 큰 설정 BIGGER (기본 저장: 현재 폴더의 ko_en_bigger.safetensors)")
    p.add_argument("--device", choices=["cpu", "cuda"], default="cpu", help="학습 장치 (기본 cpu)")
    p.add_argument("--no-amp", action="store_true", help="CUDA에서도 혼합 정밀도를 쓰지 않음(float32)")
    p.add_argument("--trace", type=Path, default=None,
                   help="테스트·디버깅용: 프로세스마다 스텝별 예문 번호·손실·파라미터 지문을 이 폴더에 기록")
    p.add_argument("--steps", type=int, help="업데이트 횟수 (기본 %d)" % TrainConfig.steps)
    p.add_argument("--out", type=Path, default=None,
                   help="저장 경로 (기본: CPU 프로세스 1개의 기본 설정이면 transformer_lib/checkpoints/ko_en.safetensors, "
                        "GPU·torchrun이면 ./ko_en.safetensors, --bigger면 ./ko_en_bigger.safetensors, --quick이면 저장하지 않음)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--dropout", type=float, default=None)
    p.add_argument("--no-progress", action="store_true")
    p.add_argument("--threads", type=int, default=None, help="학습 스레드 수 (기본 TrainConfig.threads=1)")
    args = p.parse_args(argv)

    kw = dict(QUICK) if args.quick else dict(BIGGER) if args.bigger else {}
    if args.steps:
        kw["steps"] = args.steps
    if args.dropout is not None:
        kw["dropout"] = args.dropout
    if args.threads:
        kw["threads"] = args.threads
    cfg = TrainConfig(seed=args.seed, device=args.device, amp=not args.no_amp, **kw)
    try:
        distributed.check_device(cfg.device)               # CUDA가 없으면 여기서 짧은 안내와 함께 끝냄
        distributed.init_from_env(cfg.device)              # torchrun으로 띄웠으면 프로세스 그룹(gloo/nccl)
    except distributed.DeviceError as e:
        p.exit(2, f"{p.prog}: 오류: {e}\n")
    rank, world = distributed.rank_world()
    # 기본 저장 위치: 책의 체크포인트는 CPU 프로세스 1개로 만든 것이므로 GPU·torchrun의 결과로 덮어쓰지 않습니다.
    book_run = not (args.quick or args.bigger) and cfg.device == "cpu" and world == 1
    own_file = Path("ko_en_bigger.safetensors" if args.bigger else "ko_en.safetensors")           # 현재 폴더
    default_out = None if args.quick else CHECKPOINT if book_run else own_file
    out = args.out if args.out is not None else default_out

    t_data = time.perf_counter()
    data = grammar.make_splits(cfg.data_seed, n_train=cfg.n_train, max_train_optional=cfg.max_optional)
    t_data = time.perf_counter() - t_data
    on_step = distributed.trace_writer(args.trace) if args.trace else None
    model, sv, tv, hist = train(cfg, data, progress=not args.no_progress, on_step=on_step)
    distributed.close()                                    # 학습 끝: 여기부터는 rank 0 혼자 평가하고 저장
    if rank != 0:
        return model, None
    n_params = sum(p.numel() for p in model.parameters())
    print(f"파라미터 {n_params:,}개, 데이터 생성 {t_data:.1f}s, 학습 {cfg.steps} 스텝 {hist['seconds']:.1f}s "
          f"({cfg.steps / hist['seconds']:.1f} steps/s, CPU 시간 {hist['cpu_seconds']:.1f}s, 스레드 {cfg.threads}, "
          f"장치 {cfg.device} × 프로세스 {world}), 최종 손실 {hist['loss'][-1]:.3f}")
    info = {"train_seconds": round(hist["seconds"], 2), "train_cpu_seconds": round(hist["cpu_seconds"], 2),
            "load_average": _load_average(), "steps": cfg.steps, "n_params": n_params,
            "final_loss": round(hist["loss"][-1], 4), "torch": str(torch.__version__), "threads": cfg.threads,
            "max_train_tokens": data.max_train_len[0], "max_train_len": list(data.max_train_len),
            "device": cfg.device, "processes": world}
    for name in ("test_unseen", "test_long"):
        t = time.perf_counter()
        examples = getattr(data, name)
        r = evaluate(model, sv, tv, examples[:200] if args.quick else examples)  # 맛보기는 일부만
        info[name] = {"exact_match": r["exact_match"], "bleu": round(r["bleu"], 2)}
        print(f"{name:12s}: 완전 일치 {r['exact_match']:.2%}  BLEU {r['bleu']:.1f}  "
              f"(n={r['n']}, 평가 {time.perf_counter() - t:.1f}s)")
        for e, h in r["errors"][:3]:
            print(f"    {e.ko}\n      정답: {e.en}\n      모델: {h}")
    if out:
        digest = save(out, model, sv, tv, cfg, info)
        print(f"저장: {out} ({Path(out).stat().st_size / 1e6:.2f} MB, sha256 {digest[:12]}…)")
    return model, info


if __name__ == "__main__":
    main()
