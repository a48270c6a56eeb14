"""tl.MultiHeadAttention을 torch.nn.MultiheadAttention(batch_first=True)과 같은 가중치로 비교합니다.

마스크 규칙이 반대이므로(우리: True = 참여, PyTorch nn: True = 가림) conftest의 `blocked` 하나로만 뒤집습니다.
"""
import pytest
import torch
from torch import nn
from torch.func import functional_call

import transformer_lib as tl

B, T, S, D_MODEL, N_HEADS = 2, 5, 6, 16, 4
TOL = dict(rtol=1e-9, atol=1e-11)
TOKENS = torch.tensor([[4, 5, 6, 7, 8], [9, 3, 4, 0, 0]])        # 두 번째 문장은 뒤 두 자리가 패딩(0)
SRC_TOKENS = torch.tensor([[4, 5, 6, 7, 8, 9], [9, 3, 0, 0, 0, 0]])


def make_pair(copy_mha, dtype=torch.float64, seed=0):
    torch.manual_seed(seed)
    ours = tl.MultiHeadAttention(D_MODEL, N_HEADS).to(dtype)
    theirs = nn.MultiheadAttention(D_MODEL, N_HEADS, batch_first=True, dtype=dtype)
    copy_mha(ours, theirs)
    return ours, theirs


def inputs(T_q=T, T_k=T, dtype=torch.float64, seed=1, self_attention=True):
    g = torch.Generator().manual_seed(seed)
    q = torch.randn(B, T_q, D_MODEL, generator=g, dtype=dtype, requires_grad=True)
    if self_attention:
        return q, q, q
    k = torch.randn(B, T_k, D_MODEL, generator=g, dtype=dtype, requires_grad=True)
    v = torch.randn(B, T_k, D_MODEL, generator=g, dtype=dtype, requires_grad=True)
    return q, k, v


def input_grads(out, xs, seed=2):
    g = torch.Generator().manual_seed(seed)
    cotangent = torch.randn(out.shape, generator=g, dtype=out.dtype)
    uniq = list({id(x): x for x in xs}.values())
    out.backward(cotangent)
    return [x.grad.clone() for x in uniq]


# ---------------------------------------------------------------- 마스크 변환 도우미 자체의 테스트

def test_blocked_helper_inverts_our_masks(blocked):
    # 룩어헤드 마스크: PyTorch가 만드는 float 마스크에서 -inf인 자리 = 가림 = 우리 False
    torch_causal = nn.Transformer.generate_square_subsequent_mask(4)
    assert torch.equal(blocked(tl.causal_mask(4)), torch.isinf(torch_causal))
    # 패딩 마스크: key_padding_mask는 True = 패딩(무시)
    assert torch.equal(blocked(tl.padding_mask(TOKENS, 0))[:, 0, 0, :], TOKENS == 0)
    with pytest.raises(TypeError, match="bool"):
        blocked(torch.ones(2, 2))


def test_passing_our_mask_to_torch_unconverted_is_wrong(blocked, copy_mha):
    """변환을 잊으면 PyTorch는 조용히 반대로 가립니다: 변환 도우미가 왜 필요한지 보여 주는 테스트."""
    ours, theirs = make_pair(copy_mha)
    x = inputs()[0].detach()
    mask = tl.causal_mask(T)
    _, w_right = theirs(x, x, x, attn_mask=blocked(mask))
    _, w_wrong = theirs(x, x, x, attn_mask=mask)
    assert (w_right.triu(1) == 0).all()
    assert (w_wrong[:, :-1].tril(-1) == 0).all()  # 반대 방향: 과거를 가리고 미래를 봄
    assert torch.isnan(w_wrong[:, -1]).all()       # 마지막 쿼리는 모든 키가 가려져 NaN


# ---------------------------------------------------------------- nn.MultiheadAttention과 같은 값

CASES = {
    "self_nomask": dict(self_attention=True, pad=False, causal=False),
    "self_padding": dict(self_attention=True, pad=True, causal=False),
    "self_causal": dict(self_attention=True, pad=False, causal=True),
    "self_causal_padding": dict(self_attention=True, pad=True, causal=True),
    "cross_padding": dict(self_attention=False, pad=True, causal=False),
}


def masks_for(case, blocked):
    """(우리 마스크, nn.MultiheadAttention용 attn_mask, key_padding_mask)."""
    T_k = T if case["self_attention"] else S
    pad = tl.padding_mask(TOKENS if case["self_attention"] else SRC_TOKENS, 0) if case["pad"] else None
    causal = tl.causal_mask(T) if case["causal"] else None
    ours = tl.combine_masks(pad, causal)
    attn_mask = blocked(causal) if causal is not None else None
    key_padding = blocked(pad)[:, 0, 0, :] if pad is not None else None
    assert ours is None or torch.broadcast_shapes(ours.shape, (B, N_HEADS, T, T_k)) == (B, N_HEADS, T, T_k)
    return ours, attn_mask, key_padding


@pytest.mark.parametrize("need_weights", [True, False], ids=["weights_path", "fast_path"])
@pytest.mark.parametrize("case", list(CASES))
def test_matches_torch_multihead_attention(case, need_weights, blocked, copy_mha, mha_grads):
    c = CASES[case]
    ours, theirs = make_pair(copy_mha)
    mask, attn_mask, key_padding = masks_for(c, blocked)

    xs = inputs(T_k=S, self_attention=c["self_attention"])
    out, w = ours(*xs, mask=mask, need_weights=need_weights)
    g_ours = input_grads(out, xs)

    xs_t = [x.detach().requires_grad_() for x in xs]
    if c["self_attention"]:
        xs_t = [xs_t[0]] * 3
    ref, w_ref = theirs(*xs_t, attn_mask=attn_mask, key_padding_mask=key_padding,
                        need_weights=need_weights, average_attn_weights=True)
    g_ref = input_grads(ref, xs_t)

    torch.testing.assert_close(out, ref, **TOL)
    if need_weights:
        assert w.shape == (B, N_HEADS, T, S if not c["self_attention"] else T)
        torch.testing.assert_close(w.mean(dim=1), w_ref, **TOL)  # 헤드 평균 = PyTorch의 기본 반환값
    else:
        assert w is None and w_ref is None
    for g, r in zip(g_ours, g_ref):
        torch.testing.assert_close(g, r, **TOL)
    ref_param_grads = dict(theirs.named_parameters())
    for name, g in mha_grads(ours).items():
        torch.testing.assert_close(g, ref_param_grads[name].grad, **TOL, msg=lambda m, n=name: f"{n}: {m}")


def test_per_head_weights_match_torch_unaveraged(blocked, copy_mha):
    ours, theirs = make_pair(copy_mha)
    mask, attn_mask, key_padding = masks_for(CASES["self_causal_padding"], blocked)
    x = inputs()[0].detach()
    _, w = ours(x, x, x, mask=mask, need_weights=True)
    _, w_ref = theirs(x, x, x, attn_mask=attn_mask, key_padding_mask=key_padding, average_attn_weights=False)
    torch.testing.assert_close(w, w_ref, **TOL)


# ---------------------------------------------------------------- 빠른 경로 = 가중치 경로

def fast_vs_weights_masks():
    fully = tl.causal_mask(T).clone()
    fully[1] = False                                        # 모든 키가 가려진 행
    g = torch.Generator().manual_seed(3)
    float_mask = torch.randn(B, 1, T, T, generator=g, dtype=torch.float64)
    return {
        "none": None,
        "causal": tl.causal_mask(T),
        "padding": tl.padding_mask(TOKENS, 0),
        "per_head": torch.rand(B, N_HEADS, T, T, generator=g) < 0.7,
        "float": float_mask,
        "fully_masked_row": fully,
    }


@pytest.mark.parametrize("dtype", [torch.float64, torch.float32])
@pytest.mark.parametrize("mask_name", list(fast_vs_weights_masks()))
def test_fast_path_equals_weights_path(mask_name, dtype, copy_mha):
    mask = fast_vs_weights_masks()[mask_name]
    if mask is not None and mask.is_floating_point():
        mask = mask.to(dtype)
    tol = TOL if dtype == torch.float64 else dict(rtol=1e-5, atol=1e-6)
    ours, _ = make_pair(copy_mha, dtype=dtype)
    results = []
    for need_weights in (True, False):
        ours.zero_grad()
        x = inputs(dtype=dtype)[0]
        out, _ = ours(x, x, x, mask=mask, need_weights=need_weights)
        (g_x,) = input_grads(out, [x])
        results.append((out, g_x, [p.grad.clone() for p in ours.parameters()]))
    (out_w, gx_w, gp_w), (out_f, gx_f, gp_f) = results
    assert torch.isfinite(out_f).all() and torch.isfinite(gx_f).all()
    torch.testing.assert_close(out_f, out_w, **tol)
    torch.testing.assert_close(gx_f, gx_w, **tol)
    for a, b in zip(gp_f, gp_w):
        torch.testing.assert_close(a, b, **tol)


def test_each_path_is_the_named_method(monkeypatch):
    """가중치가 필요 없으면 _fused_attention(F.scaled_dot_product_attention), 필요하거나 기록 중이면
    _explicit_attention(attention.py) 이 불립니다. 어느 쪽이 불렸는지 세어 봅니다."""
    calls = []
    for name in ("_fused_attention", "_explicit_attention"):
        real = getattr(tl.MultiHeadAttention, name)
        monkeypatch.setattr(tl.MultiHeadAttention, name,
                            staticmethod(lambda *a, real=real, name=name: calls.append(name) or real(*a)))
    mha = tl.MultiHeadAttention(D_MODEL, N_HEADS).eval()
    x = torch.randn(B, T, D_MODEL)
    fused, w_none = mha(x, x, x)
    explicit, w = mha(x, x, x, need_weights=True)
    assert calls == ["_fused_attention", "_explicit_attention"] and w_none is None and w.shape == (B, N_HEADS, T, T)
    torch.testing.assert_close(fused, explicit, rtol=1e-5, atol=1e-6)
    layer = tl.EncoderLayer(D_MODEL, N_HEADS, 32).eval()
    calls.clear()
    layer(x)
    with tl.record_attention(layer):
        layer(x)
    layer(x)
    assert calls == ["_fused_attention", "_explicit_attention", "_fused_attention"]


def test_fast_path_zeroes_fully_masked_rows_whatever_the_kernel_does(monkeypatch, copy_mha):
    """GPU의 float16/bfloat16 SDPA 커널은 모든 키가 가려진 행에 0이 아닌 값을 냅니다(H100에서 확인).
    그런 커널을 흉내 내도 우리 빠른 경로는 그 행을 0으로 돌려줘야 합니다."""
    real_sdpa = torch.nn.functional.scaled_dot_product_attention

    def gpu_like_sdpa(q, k, v, attn_mask=None, dropout_p=0.0):
        out = real_sdpa(q, k, v, attn_mask=attn_mask, dropout_p=dropout_p)
        empty = ~attn_mask.any(dim=-1, keepdim=True)
        return torch.where(empty, v.mean(dim=-2, keepdim=True), out)  # 가려진 행 = 밸류 평균(0이 아님)

    monkeypatch.setattr(torch.nn.functional, "scaled_dot_product_attention", gpu_like_sdpa)
    ours, _ = make_pair(copy_mha)
    mask = fast_vs_weights_masks()["fully_masked_row"]
    x = inputs()[0].detach()
    out_fast, _ = ours(x, x, x, mask=mask)
    out_weights, _ = ours(x, x, x, mask=mask, need_weights=True)
    torch.testing.assert_close(out_fast, out_weights, **TOL)
    torch.testing.assert_close(out_fast[:, 1], ours.W_o.bias.expand(B, D_MODEL), **TOL)  # 0 → W_o 뒤엔 편향만


# ---------------------------------------------------------------- gradcheck (float64)

@pytest.mark.parametrize("need_weights", [True, False], ids=["weights_path", "fast_path"])
def test_gradcheck_inputs_and_parameters(need_weights):
    torch.manual_seed(0)
    mha = tl.MultiHeadAttention(4, 2).double()
    g = torch.Generator().manual_seed(1)
    q = torch.randn(2, 3, 4, generator=g, dtype=torch.float64, requires_grad=True)
    kv = torch.randn(2, 4, 4, generator=g, dtype=torch.float64, requires_grad=True)
    mask = torch.tensor([[1, 1, 1, 0], [1, 1, 0, 0]], dtype=torch.bool)[:, None, None, :]  # (B, 1, 1, T_k)
    names = [n for n, _ in mha.named_parameters()]
    params = [p.detach().clone().requires_grad_() for p in mha.parameters()]

    def fn(q, kv, *ps):
        out, _ = functional_call(mha, dict(zip(names, ps)), (q, kv, kv), {"mask": mask, "need_weights": need_weights})
        return out

    assert torch.autograd.gradcheck(fn, (q, kv, *params))


# ---------------------------------------------------------------- 모양, 헤드 나누기, 드롭아웃

def test_split_and_merge_heads():
    mha = tl.MultiHeadAttention(D_MODEL, N_HEADS)
    x = torch.randn(B, T, D_MODEL)
    heads = mha.split_heads(x)
    assert heads.shape == (B, N_HEADS, T, D_MODEL // N_HEADS) and mha.d_k == D_MODEL // N_HEADS
    for i in range(N_HEADS):  # 헤드 i = 마지막 차원의 i번째 조각
        torch.testing.assert_close(heads[:, i], x[..., i * mha.d_k:(i + 1) * mha.d_k])
    torch.testing.assert_close(mha.merge_heads(heads), x)


def test_weights_shape_and_rows_sum_to_one():
    torch.manual_seed(0)
    mha = tl.MultiHeadAttention(D_MODEL, N_HEADS)
    q, kv = torch.randn(B, T, D_MODEL), torch.randn(B, S, D_MODEL)
    out, w = mha(q, kv, kv, mask=tl.padding_mask(SRC_TOKENS, 0), need_weights=True)
    assert out.shape == (B, T, D_MODEL) and w.shape == (B, N_HEADS, T, S)
    torch.testing.assert_close(w.sum(-1), torch.ones(B, N_HEADS, T))
    assert (w[1, :, :, 2:] == 0).all()  # 패딩 키에는 가중치 0
    assert mha(q, kv, kv)[1] is None


def test_bias_false_has_no_bias():
    mha = tl.MultiHeadAttention(D_MODEL, N_HEADS, bias=False)
    assert all(lin.bias is None for lin in (mha.W_q, mha.W_k, mha.W_v, mha.W_o))
    assert sum(p.numel() for p in mha.parameters()) == 4 * D_MODEL * D_MODEL


def test_dropout_only_in_training_and_weights_are_pre_dropout():
    torch.manual_seed(0)
    mha = tl.MultiHeadAttention(D_MODEL, N_HEADS, dropout_p=0.5)
    x = torch.randn(B, T, D_MODEL)
    mha.eval()
    out_eval, w_eval = mha(x, x, x, need_weights=True)
    torch.testing.assert_close(mha(x, x, x)[0], out_eval)  # eval: 드롭아웃 없음, 빠른 경로와도 같음
    mha.train()
    out_train, w_train = mha(x, x, x, need_weights=True)
    assert not torch.allclose(out_train, out_eval)
    torch.testing.assert_close(w_train, w_eval)  # 돌려주는 가중치는 드롭아웃 전
    assert not torch.allclose(mha(x, x, x)[0], out_eval)  # 빠른 경로도 학습 모드에서 드롭아웃
