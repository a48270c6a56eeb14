"""노트북 밖으로: 같은 학습을 GPU에서, 그리고 여러 프로세스(torchrun)로.

    python -m transformer_lib.toy.train --device cuda                                  # GPU 한 장
    torchrun --standalone --nproc_per_node 2 -m transformer_lib.toy.train --quick       # CPU 프로세스 2개 (gloo)
    torchrun --standalone --nproc_per_node 4 -m transformer_lib.toy.train --device cuda # GPU 4장 (nccl)

torchrun은 같은 명령을 프로세스 N개로 띄우고, 각 프로세스에 환경 변수 RANK(0…N-1), WORLD_SIZE(=N),
LOCAL_RANK(이 기계 안의 번호)를 줍니다. 이 모듈은 그 위에서 PyTorch의 DistributedDataParallel(DDP)을 씁니다.

- 데이터: 모든 프로세스가 같은 시드로 같은 "전체 배치"(global batch)를 뽑고, 그중 rank번째부터 N개씩 건너뛴
  몫(shard)만 계산합니다. 그래서 N이 몇이든 한 스텝에 보는 예문 전체와 학습률 스케줄이 같습니다.
- 기울기: DDP가 역전파 중에 프로세스들의 기울기를 평균(all-reduce)합니다. 평균된 기울기로 모두가 같은 Adam
  업데이트를 하므로 파라미터가 언제나 같게 유지됩니다.
- 손실: 프로세스 1개일 때의 손실은 전체 배치의 "패딩이 아닌 토큰" 평균입니다. 몫마다 토큰 수가 다르므로 각자의
  평균을 그냥 평균하면 값이 조금 달라집니다. 그래서 토큰 수로 가중해(weight) 프로세스 1개일 때와 같은 기울기를 만듭니다.
- 출력·저장은 rank 0만 합니다. 저장하는 것은 DDP로 감싸기 전의 모델이라 프로세스 1개짜리 코드로 그대로 불러집니다.
"""
from __future__ import annotations

import os

import torch
import torch.distributed as dist


class DeviceError(RuntimeError):
    """요청한 장치를 쓸 수 없을 때(예: CUDA가 없는데 --device cuda)."""


def check_device(name: str) -> torch.device:
    """"cpu" 또는 "cuda" → torch.device. 쓸 수 없으면 무엇이 필요한지 알려 주는 DeviceError."""
    if name not in ("cpu", "cuda"):
        raise DeviceError(f"장치는 'cpu' 또는 'cuda'여야 합니다: {name!r} (expected device 'cpu' or 'cuda')")
    if name == "cuda" and not torch.cuda.is_available():
        build = "CUDA 없이 빌드된 torch" if torch.version.cuda is None else "GPU를 찾지 못함"
        raise DeviceError(
            f"--device cuda를 요청했지만 CUDA를 쓸 수 없습니다({build}, torch {torch.__version__}). "
            "GPU가 있는 기계(예: Colab의 런타임 유형 → GPU)에서 실행하거나 --device cpu로 실행하세요. "
            "(CUDA was requested but torch.cuda.is_available() is False; run on a GPU machine or use --device cpu)"
        )
    if name == "cuda" and dist.is_initialized():
        return torch.device("cuda", torch.cuda.current_device())   # init_from_env가 LOCAL_RANK로 정해 둔 GPU
    return torch.device(name)


def init_from_env(device: str) -> None:
    """torchrun이 띄운 프로세스면(WORLD_SIZE > 1) 프로세스 그룹을 만듭니다: CPU는 gloo, GPU는 nccl.

    그냥 python으로 실행했으면 아무 일도 하지 않습니다(프로세스 1개)."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    if world <= 1 or dist.is_initialized():
        return
    check_device(device)
    if device == "cuda":
        local_rank, n_gpus = int(os.environ.get("LOCAL_RANK", "0")), torch.cuda.device_count()
        if local_rank >= n_gpus:
            raise DeviceError(
                f"이 기계의 GPU는 {n_gpus}장인데 프로세스 {local_rank + 1}번째가 GPU를 달라고 합니다. "
                f"--nproc_per_node를 {n_gpus} 이하로 하세요. "
                f"(LOCAL_RANK {local_rank} but only {n_gpus} CUDA devices; use --nproc_per_node <= {n_gpus})"
            )
        torch.cuda.set_device(local_rank)
    dist.init_process_group("nccl" if device == "cuda" else "gloo")


def close() -> None:
    """모든 프로세스가 여기 올 때까지 기다렸다가 프로세스 그룹을 닫습니다(프로세스 1개면 아무 일도 없음)."""
    if dist.is_initialized():
        dist.barrier()
        dist.destroy_process_group()


def rank_world() -> tuple[int, int]:
    """(이 프로세스의 번호, 프로세스 수). 프로세스 그룹이 없으면 (0, 1)."""
    return (dist.get_rank(), dist.get_world_size()) if dist.is_initialized() else (0, 1)


def is_main() -> bool:
    """출력과 저장을 맡는 프로세스(rank 0)인가."""
    return rank_world()[0] == 0


def my_share(idx: torch.Tensor) -> torch.Tensor:
    """전체 배치의 예문 번호 (B,) → 이 프로세스의 몫 (B/N,): rank번째부터 N개씩 건너뛰며. 프로세스 1개면 전부."""
    rank, world = rank_world()
    if len(idx) % world:
        raise ValueError(f"배치 크기 {len(idx)}가 프로세스 수 {world}로 나누어떨어져야 합니다 "
                         f"(global batch size {len(idx)} must be divisible by the number of processes {world})")
    return idx[rank::world]


def wrap(model: torch.nn.Module, device: torch.device) -> torch.nn.Module:
    """프로세스가 여럿이면 DDP로 감쌉니다(처음에 rank 0의 파라미터를 모두에게 복사하고, 역전파 때 기울기를 평균)."""
    if not dist.is_initialized():
        return model
    device_ids = [device.index] if device.type == "cuda" else None
    return torch.nn.parallel.DistributedDataParallel(model, device_ids=device_ids)


def token_weighted(loss: torch.Tensor, n_tokens: torch.Tensor) -> tuple[torch.Tensor, float]:
    """이 몫의 토큰 평균 손실 → (역전파할 손실, 전체 배치의 토큰 평균 손실 값).

    DDP는 기울기를 프로세스 수 N으로 나눠 평균합니다. 각자 손실에 N·n_i/n (n_i: 이 몫의 토큰 수, n: 전체 토큰 수)을
    곱해 두면, 평균된 기울기가 프로세스 1개로 전체 배치의 토큰 평균 손실을 미분한 것과 같아집니다."""
    if not dist.is_initialized():
        return loss, loss.item()
    stats = torch.stack([loss.detach().float() * n_tokens, n_tokens.float()])   # (이 몫의 손실 합, 토큰 수)
    dist.all_reduce(stats)                                                      # 모든 프로세스의 합
    total_loss, total_tokens = stats.tolist()
    return loss * (dist.get_world_size() * n_tokens.item() / total_tokens), total_loss / total_tokens


def mixed_precision(device: torch.device, enabled: bool = True):
    """→ (autocast에 줄 dtype 또는 None, GradScaler). 혼합 정밀도(mixed precision)는 CUDA에서만 켭니다.

    bf16을 지원하는 GPU(A100, H100, L4 …)는 bf16: 지수 범위가 float32와 같아 스케일러가 필요 없습니다.
    그렇지 않은 GPU(Colab의 T4 …)는 fp16 + GradScaler: 작은 기울기가 0이 되지 않도록 손실을 키웠다가 되돌립니다.
    CPU에서는 (None, 꺼진 스케일러): 꺼진 스케일러는 아무것도 바꾸지 않으므로 결과가 비트까지 그대로입니다."""
    dtype = None
    if enabled and device.type == "cuda":
        dtype = torch.bfloat16 if torch.cuda.is_bf16_supported(including_emulation=False) else torch.float16
    return dtype, torch.amp.GradScaler(device.type, enabled=dtype == torch.float16)


def trace_writer(directory):
    """--trace용 on_step: 스텝마다 이 프로세스가 본 예문 번호, 전체 배치의 손실, 업데이트 뒤 파라미터의 지문(sha256)을
    DIR/rank<번호>.jsonl에 한 줄씩 적습니다. 테스트가 "프로세스마다 다른 데이터, 언제나 같은 파라미터"를 확인하는 데 씁니다."""
    import hashlib
    import json
    from pathlib import Path

    path = Path(directory) / f"rank{rank_world()[0]}.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("")

    def on_step(step, model, idx, loss):
        h = hashlib.sha256()
        for p in model.parameters():
            h.update(p.detach().cpu().contiguous().numpy().tobytes())
        with path.open("a") as f:
            f.write(json.dumps({"step": step, "idx": idx.tolist(), "loss": loss, "params": h.hexdigest()}) + "\n")

    return on_step
