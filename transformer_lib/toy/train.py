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
import os
import time
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

import torch

import transformer_lib as tl
from transformer_lib.decoding import single_thread, torch_threads

from . import distributed, grammar
from .data import build_vocabs, encode_examples, global_batches, trim
from .evaluation import evaluate, translate

# 장(notebooks/08·09·10)은 `from transformer_lib.toy import train as toy`로 아래 이름을 모두 여기서 씁니다.
__all__ = ["CHECKPOINT", "TrainConfig", "QUICK", "BIGGER", "make_model", "train", "save", "load", "load_pretrained",
           "load_average", "main", "make_data", "build_vocabs", "encode_examples", "global_batches", "trim", "evaluate",
           "translate", "single_thread"]

CHECKPOINT = Path(__file__).resolve().parent.parent / "checkpoints" / "ko_en.safetensors"


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
# 데이터와 모델
# ---------------------------------------------------------------------------------------------------------------
def make_data(cfg: TrainConfig) -> grammar.ToyData:
    """설정이 정하는 데이터 나누기(학습·검증·보류 조합·긴 문장): 시드 cfg.data_seed, 학습 문장 cfg.n_train개."""
    return grammar.make_splits(cfg.data_seed, n_train=cfg.n_train, max_train_optional=cfg.max_optional)


def make_model(src_vocab, tgt_vocab, cfg: TrainConfig, **overrides) -> tl.Transformer:
    """cfg.seed로 초기화한 모델. TrainConfig 중 TransformerConfig와 이름이 같은 항목(d_model, n_heads, n_layers, d_ff,
    dropout, max_len)을 그대로 넘기고, 어휘 크기와 pad_id는 어휘에서 정합니다. overrides: 그 밖의 모델 설정(예:
    positional="rotary", toy/ablate.py)."""
    shared = {f.name: getattr(cfg, f.name) for f in fields(tl.TransformerConfig) if hasattr(cfg, f.name)}
    torch.manual_seed(cfg.seed)
    return tl.Transformer(tl.TransformerConfig(
        src_vocab_size=len(src_vocab), tgt_vocab_size=len(tgt_vocab), pad_id=src_vocab.pad_id,
        **dict(shared, **overrides)))


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
    data = data or make_data(cfg)
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


# ---------------------------------------------------------------------------------------------------------------
# 저장과 불러오기
# ---------------------------------------------------------------------------------------------------------------
def save(path, model, src_vocab, tgt_vocab, cfg: TrainConfig, info: dict) -> str:
    """체크포인트(safetensors, 어휘·설정·sha256 을 메타데이터에 담음)를 저장하고 그 sha256 을 돌려줍니다."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    extra = {"src_vocab": src_vocab.to_dict(), "tgt_vocab": tgt_vocab.to_dict(), "train_config": asdict(cfg),
             "info": info}
    return tl.save_checkpoint(path, model, extra)


def load(path=CHECKPOINT):
    """→ (model, src_vocab, tgt_vocab, extra). 파일 안의 sha256을 다시 계산해 확인합니다(CheckpointError)."""
    model, extra = tl.load_checkpoint(path)
    return model, tl.Vocab.from_dict(extra["src_vocab"]), tl.Vocab.from_dict(extra["tgt_vocab"]), extra


def load_pretrained():
    """책과 함께 배포되는 학습된 모델 → (model, src_vocab, tgt_vocab, extra)."""
    return load(CHECKPOINT)


def load_average():
    """컴퓨터가 얼마나 바쁜지(1분 평균 부하). 잰 시간을 해석할 때 참고합니다(학습 기록, benchmarks/bench_toy.py)."""
    try:
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
    p.add_argument("--out", type=Path, default=None,
                   help="저장 경로 (기본: CPU 프로세스 1개의 기본 설정이면 transformer_lib/checkpoints/ko_en.safetensors, "
                        "GPU·torchrun이면 ./ko_en.safetensors, --bigger면 ./ko_en_bigger.safetensors, --quick이면 저장하지 않음)")
    p.add_argument("--trace", type=Path, default=None,
                   help="테스트·디버깅용: 프로세스마다 스텝별 예문 번호·손실·파라미터 지문을 이 폴더에 기록")
    p.add_argument("--no-progress", action="store_true")
    # TrainConfig의 항목마다 옵션 하나 (--steps, --d-model, --device, --amp/--no-amp …). 주지 않으면 설정의 값 그대로.
    settings = p.add_argument_group("학습 설정 (TrainConfig; 주지 않은 항목은 기본값 또는 --quick·--bigger의 값)")
    for f in fields(TrainConfig):
        flag, help_ = "--" + f.name.replace("_", "-"), f"기본 {f.default}"
        if isinstance(f.default, bool):
            settings.add_argument(flag, action=argparse.BooleanOptionalAction, default=None, help=help_)
        else:
            settings.add_argument(flag, type=type(f.default), default=None, metavar=type(f.default).__name__,
                                  help=help_)
    args = p.parse_args(argv)

    preset = QUICK if args.quick else BIGGER if args.bigger else {}
    given = {f.name: getattr(args, f.name) for f in fields(TrainConfig) if getattr(args, f.name) is not None}
    cfg = replace(TrainConfig(**preset), **given)
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
    data = make_data(cfg)
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
            "load_average": load_average(), "steps": cfg.steps, "n_params": n_params,
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
