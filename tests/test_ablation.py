"""10장의 결과 파일(transformer_lib/results/*.json)과 변형 학습 스크립트(toy/ablate.py) 테스트."""
import json
from pathlib import Path

import pytest
import torch

import transformer_lib as tl
from transformer_lib.toy import ablate, grammar
from transformer_lib.toy import train as T

RESULTS = Path(tl.__file__).parent / "results"


@pytest.fixture(scope="module")
def results():
    return ablate.load_results(RESULTS / "ablation.json")


def test_results_file_records_how_it_was_made(results):
    meta = results["meta"]
    assert meta["command"].startswith("python -m transformer_lib.toy.ablate")
    assert meta["steps"] == ablate.STEPS and meta["seeds"]
    for key in ("platform", "torch", "transformer_lib", "threads", "cpu_count"):
        assert key in meta["machine"]
    assert meta["base_config"] == {**T.TrainConfig().__dict__, "steps": meta["steps"]}
    names = {r["name"] for r in results["runs"]}
    assert names == set(ablate.VARIANTS), f"빠진 변형: {set(ablate.VARIANTS) - names}"
    for r in results["runs"]:
        for split in ("test_unseen", "test_long"):
            assert 0 <= r[split]["exact_match"] <= 1 and 0 <= r[split]["bleu"] <= 100
        assert r["heldout_ce"] > 0 and r["train_seconds"] > 0 and r["n_params"] > 0


def test_a_variation_rerun_lands_within_the_recorded_spread(results):
    """가장 싼 변형(층 1개)을 기록된 스텝 수와 시드 0으로 다시 학습해, 결과 파일의 시드 범위 안에 드는지 봅니다."""
    torch.manual_seed(0)
    data = grammar.make_splits(ablate.BASE.data_seed, n_train=ablate.BASE.n_train,
                               max_train_optional=ablate.BASE.max_optional)
    row = ablate.run_one("N1", 0, data, steps=results["meta"]["steps"])
    recorded = [r for r in results["runs"] if r["name"] == "N1"]
    for split in ("test_unseen", "test_long"):
        lo, hi = ablate.recorded_range(recorded, split)
        assert lo <= row[split]["exact_match"] <= hi, (split, row[split], lo, hi)
    ce = [r["heldout_ce"] for r in recorded]
    assert min(ce) - 0.05 <= row["heldout_ce"] <= max(ce) + 0.05


def test_recorded_range_and_variants():
    rows = [{"test_unseen": {"exact_match": 0.90}}, {"test_unseen": {"exact_match": 0.94}}]
    lo, hi = ablate.recorded_range(rows)
    assert lo == pytest.approx(0.86) and hi == pytest.approx(0.98)
    lo, hi = ablate.recorded_range(rows[:1])
    assert lo == pytest.approx(0.89) and hi == pytest.approx(0.91)
    with pytest.raises(ValueError, match="no recorded runs"):
        ablate.recorded_range([])
    for name, (group, label, cfg_kw, model_kw) in ablate.VARIANTS.items():
        assert group in {"base", "A", "B", "C", "D", "E", "P"} and label
        assert set(cfg_kw) <= set(T.TrainConfig().__dict__) and set(model_kw) <= {"positional", "d_k"}


def test_small_key_attention_shrinks_only_queries_and_keys():
    torch.manual_seed(0)
    sv = tl.Vocab.build(["가 나 다"])
    cfg = T.TrainConfig(d_model=32, n_heads=4, d_ff=64)        # 기본 d_k = 8 → 4로 줄임
    model = ablate.model_builder(d_k=4)(sv, sv, cfg)
    attn = model.encoder.layers[0].self_attn
    assert isinstance(attn, ablate.SmallKeyAttention)
    assert attn.W_q.weight.shape == (4 * 4, 32) and attn.W_k.weight.shape == (16, 32)
    assert attn.W_v.weight.shape == (32, 32) and attn.W_o.weight.shape == (32, 32)
    x = torch.randn(2, 5, 32)
    fast, _ = attn(x, x, x)
    slow, w = attn(x, x, x, need_weights=True)
    torch.testing.assert_close(fast, slow, atol=1e-5, rtol=1e-5)
    assert w.shape == (2, 4, 5, 5) and fast.shape == (2, 5, 32)
    # 점수의 스케일은 줄인 d_k의 1/√4
    q = attn.W_q(x).view(2, 5, 4, 4).transpose(1, 2)
    k = attn.W_k(x).view(2, 5, 4, 4).transpose(1, 2)
    torch.testing.assert_close(w, torch.softmax(q @ k.transpose(-1, -2) / 2.0, dim=-1), atol=1e-5, rtol=1e-5)
    # 파라미터 수 차이 = 어텐션 모듈 수(인코더 셀프 2 + 디코더 셀프·크로스 4) × 투영 2개 × 줄어든 행 16 × (입력 32 + 편향 1)
    base = ablate.model_builder()(sv, sv, cfg)
    diff = sum(p.numel() for p in base.parameters()) - sum(p.numel() for p in model.parameters())
    assert diff == 6 * 2 * 16 * 33


def test_table1_results_file():
    t1 = json.loads((RESULTS / "table1.json").read_text())
    assert t1["meta"]["command"].startswith("python benchmarks/bench_layers.py")
    layers = {r["layer"] for r in t1["rows"]}
    assert layers == {"self_attention", "self_attention_fused", "recurrent_lstm", "convolution"}
    att = sorted((r["n"], r["saved_bytes"]) for r in t1["rows"] if r["layer"] == "self_attention")
    # 가중치 행렬을 만드는 어텐션의 메모리는 n²으로 자랍니다: n이 2배면 마지막 구간에서 3배 넘게
    assert att[-1][1] > 3 * att[-2][1]
