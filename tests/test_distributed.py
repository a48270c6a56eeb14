"""학습 진입점을 GPU·여러 프로세스로: torchrun + DDP(gloo)를 CPU에서 실제로 띄워 확인합니다.

GPU 쪽(nccl, 혼합 정밀도의 속도)은 GPU가 있는 기계에서만 잴 수 있습니다. 여기서는 CPU에서 확인할 수 있는 것,
즉 같은 코드가 프로세스 2개로 돌 때 프로세스 1개와 같은 학습을 하는지와, CUDA가 없을 때의 안내를 봅니다.
"""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from transformer_lib.toy import distributed, grammar
from transformer_lib.toy import train as T

ROOT = Path(__file__).resolve().parent.parent
STEPS = 5
# 프로세스 2개와 1개의 스텝별 손실 차이 허용치. 수학적으로는 같은 계산이고(토큰 수 가중), 몫마다 패딩 길이가 달라
# 덧셈 순서만 다릅니다. 이 기계(2코어 CPU, torch 2.13)에서 잰 차이: 5스텝 동안 최대 6e-7.
# 토큰 수 가중을 빼고 몫마다의 평균을 그냥 평균하면 4~5스텝에서 5e-5까지 벌어져 이 허용치를 넘습니다.
LOSS_TOL = 1e-5
PARAM_TOL = 1e-5


def _env(**extra):
    path = os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    env = dict(os.environ, OMP_NUM_THREADS="1", PYTHONPATH=path)
    env.update(extra)
    return env


def _read_trace(path):
    return [json.loads(line) for line in Path(path).read_text().splitlines()]


@pytest.fixture(scope="module")
def quick_data():
    cfg = T.TrainConfig(**T.QUICK)
    return grammar.make_splits(cfg.data_seed, n_train=cfg.n_train, max_train_optional=cfg.max_optional)


@pytest.fixture(scope="module")
def single_run(quick_data):
    """프로세스 1개(그냥 train())로 같은 설정을 STEPS 스텝: 스텝별 예문 번호와 손실, 마지막 모델."""
    seen = []
    model, *_ = T.train(T.TrainConfig(**dict(T.QUICK, steps=STEPS)), quick_data, progress=False,
                        on_step=lambda step, m, idx, loss: seen.append((idx.tolist(), loss)))
    return seen, model


@pytest.fixture(scope="module")
def torchrun_run(tmp_path_factory):
    """torchrun --nproc_per_node 2 (CPU, gloo)로 학습 진입점을 STEPS 스텝 실행합니다."""
    work = tmp_path_factory.mktemp("ddp")
    cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2",
           "-m", "transformer_lib.toy.train", "--quick", "--steps", str(STEPS), "--no-progress",
           "--trace", "trace", "--out", "ko_en_ddp.safetensors"]
    proc = subprocess.run(cmd, cwd=work, env=_env(), capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return work, proc


def test_each_process_sees_a_different_half_of_the_same_global_batch(torchrun_run, single_run):
    work, _ = torchrun_run
    r0, r1 = _read_trace(work / "trace" / "rank0.jsonl"), _read_trace(work / "trace" / "rank1.jsonl")
    seen, _ = single_run
    assert len(r0) == len(r1) == len(seen) == STEPS
    half = T.TrainConfig.batch_size // 2
    for a, b, (idx, _) in zip(r0, r1, seen):
        assert len(a["idx"]) == len(b["idx"]) == half
        assert not set(a["idx"]) & set(b["idx"]), f"스텝 {a['step']}: 두 프로세스가 같은 예문을 봤습니다"
        assert sorted(a["idx"] + b["idx"]) == sorted(idx), "두 몫을 합치면 프로세스 1개의 전체 배치여야 합니다"


def test_parameters_identical_across_processes_after_every_step(torchrun_run):
    work, _ = torchrun_run
    r0, r1 = _read_trace(work / "trace" / "rank0.jsonl"), _read_trace(work / "trace" / "rank1.jsonl")
    for a, b in zip(r0, r1):
        assert a["params"] == b["params"], f"스텝 {a['step']} 뒤 파라미터가 다릅니다"
    assert len({a["params"] for a in r0}) == STEPS, "스텝마다 파라미터가 바뀌어야 합니다(학습이 일어남)"


def test_loss_matches_single_process_with_same_global_batch(torchrun_run, single_run):
    work, _ = torchrun_run
    r0 = _read_trace(work / "trace" / "rank0.jsonl")
    seen, _ = single_run
    for a, (_, loss) in zip(r0, seen):
        assert a["loss"] == pytest.approx(loss, abs=LOSS_TOL), f"스텝 {a['step']}"
    assert r0[-1]["loss"] < r0[0]["loss"] - 0.1   # 손실이 실제로 내려갔음


def test_only_rank0_writes_and_checkpoint_loads_in_single_process_code(torchrun_run, single_run):
    work, proc = torchrun_run
    assert sorted(p.name for p in work.iterdir()) == ["ko_en_ddp.safetensors", "trace"]
    assert proc.stdout.count("저장:") == 1 and proc.stdout.count("파라미터 ") == 1, proc.stdout
    assert "프로세스 2" in proc.stdout
    model, sv, tv, extra = T.load(work / "ko_en_ddp.safetensors")        # 프로세스 1개짜리 코드로 불러오기
    assert extra["info"]["processes"] == 2
    _, single_model = single_run
    for (name, p), q in zip(model.state_dict().items(), single_model.state_dict().values()):
        # 키의 편향(W_k.bias)은 소프트맥스에서 상쇄되어 기울기가 수학적으로 0입니다. 남는 것은 반올림 잡음뿐인데
        # Adam이 그 잡음을 기울기 크기로 나눠 학습률만큼의 걸음으로 키우므로, 두 실행이 약 1e-4씩 다르게 움직입니다.
        # 출력에는 영향이 없습니다(아래에서 로짓으로 확인).
        if not name.endswith("W_k.bias"):
            torch.testing.assert_close(p, q, atol=PARAM_TOL, rtol=0, msg=name)
    src, tgt = T.encode_examples(grammar.make_splits(n_train=300).train[:32], sv, tv)
    torch.testing.assert_close(model(src, tgt[:, :-1]), single_model(src, tgt[:, :-1]), atol=PARAM_TOL, rtol=0)


def test_cuda_requested_without_cuda_is_a_clear_error(tmp_path):
    # CUDA_VISIBLE_DEVICES=""로 GPU가 있는 기계에서도 "CUDA 없음"을 만듭니다.
    proc = subprocess.run([sys.executable, "-m", "transformer_lib.toy.train", "--quick", "--device", "cuda"],
                          cwd=tmp_path, env=_env(CUDA_VISIBLE_DEVICES=""), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr, proc.stderr
    assert "CUDA" in proc.stderr and "--device cpu" in proc.stderr
    assert any("가" <= ch <= "힣" for ch in proc.stderr), proc.stderr
    assert not list(tmp_path.iterdir())                       # 아무것도 쓰지 않음


def test_cuda_in_python_api_raises_device_error(monkeypatch, quick_data):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.raises(distributed.DeviceError, match="CUDA"):
        T.train(T.TrainConfig(**dict(T.QUICK, steps=1, device="cuda")), quick_data, progress=False)
    with pytest.raises(distributed.DeviceError, match="cpu"):
        distributed.check_device("gpu")


def test_default_cpu_path_unchanged():
    """기본 경로(프로세스 1개, CPU)의 처음 손실들이 GPU·torchrun 지원을 넣기 전과 같은지: 맛보기 설정의 스텝별 손실.

    아래 값은 그 전의 코드로 잰 값입니다. 이 기계에서는 비트까지 같았고(40스텝), 다른 CPU의 반올림 차이를 위해
    1e-4의 여유를 둡니다. 배치 순서·초기화·손실 계산이 바뀌면 1e-3 이상 달라집니다."""
    before = [5.963108539581299, 5.956945562362671, 5.940431389808656, 5.9123683991432205, 5.865543266153337]
    _, _, _, h = T.train(T.TrainConfig(**dict(T.QUICK, steps=5)), progress=False, log_every=1)
    assert h["loss"] == pytest.approx(before, abs=1e-4)


def test_model_trains_under_autocast():
    """GPU의 혼합 정밀도 경로를 CPU의 bf16 autocast로 흉내 내 한 스텝: 손실과 기울기가 유한한지."""
    data = grammar.make_splits(n_train=300)
    sv, tv = T.build_vocabs(data.train)
    src, tgt = T.encode_examples(data.train[:16], sv, tv)
    model = T.make_model(sv, tv, T.TrainConfig(d_model=32, n_heads=2, d_ff=64))
    with torch.autocast("cpu", dtype=torch.bfloat16):
        logits = model(T.trim(src), T.trim(tgt)[:, :-1])
        loss = T.tl.LabelSmoothingLoss(0.1, ignore_index=tv.pad_id)(logits, T.trim(tgt)[:, 1:])
    assert logits.dtype == torch.bfloat16
    loss.backward()
    assert torch.isfinite(loss) and all(torch.isfinite(p.grad).all() for p in model.parameters())


def test_bigger_preset_is_a_valid_larger_config():
    big = T.TrainConfig(**T.BIGGER)
    small = T.TrainConfig()
    assert big.d_model > small.d_model and big.n_layers > small.n_layers and big.max_optional > small.max_optional
    assert big.batch_size % 8 == 0            # GPU 1·2·4·8장으로 나누어떨어짐
    data = grammar.make_splits(n_train=500, max_train_optional=big.max_optional)
    model, *_ = T.train(T.TrainConfig(**dict(T.BIGGER, steps=1, batch_size=8, n_train=500)), data, progress=False)
    assert sum(p.numel() for p in model.parameters()) > 5 * 781_596
