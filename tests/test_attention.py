"""tl.scaled_dot_product_attention과 마스크 함수를 PyTorch의 F.scaled_dot_product_attention과 비교합니다.

비교는 float64로 해서 허용 오차를 작게 잡습니다. 역전파는 임의의 출력 기울기(cotangent)를 흘려 보내서
q, k, v(와 float 마스크)의 기울기를 비교합니다(출력의 합을 미분하면 소프트맥스 기울기가 0이 되어 비교가 약해짐).
"""
import math

import pytest
import torch
import torch.nn.functional as F

import transformer_lib as tl

B, H, T_Q, T_K, D_K, D_V = 2, 3, 4, 5, 8, 6
TOL = dict(rtol=1e-10, atol=1e-12)


def make_qkv(seed=0, dtype=torch.float64):
    g = torch.Generator().manual_seed(seed)
    q = torch.randn(B, H, T_Q, D_K, generator=g, dtype=dtype, requires_grad=True)
    k = torch.randn(B, H, T_K, D_K, generator=g, dtype=dtype, requires_grad=True)
    v = torch.randn(B, H, T_K, D_V, generator=g, dtype=dtype, requires_grad=True)
    return q, k, v


def random_bool_mask(shape, seed=1, p_keep=0.6):
    """각 행에 True가 하나 이상 있는 임의의 bool 마스크 (True = 참여)."""
    g = torch.Generator().manual_seed(seed)
    mask = torch.rand(shape, generator=g) < p_keep
    mask[..., 0] = True
    return mask


def forward_backward(fn, inputs, seed=3):
    """fn(*inputs)의 출력과, 임의의 출력 기울기에 대한 inputs의 기울기를 돌려줍니다."""
    out = fn(*inputs)
    g = torch.Generator().manual_seed(seed)
    cotangent = torch.randn(out.shape, generator=g, dtype=out.dtype)
    grads = torch.autograd.grad(out, inputs, cotangent)
    return out, grads


def ours(mask=None):
    return lambda q, k, v: tl.scaled_dot_product_attention(q, k, v, mask=mask)[0]


def theirs(mask=None):
    return lambda q, k, v: F.scaled_dot_product_attention(q, k, v, attn_mask=mask)


def assert_same_as_torch(mask):
    q, k, v = make_qkv()
    out, grads = forward_backward(ours(mask), (q, k, v))
    ref, ref_grads = forward_backward(theirs(mask), (q, k, v))
    torch.testing.assert_close(out, ref, **TOL)
    for name, g, r in zip("qkv", grads, ref_grads):
        torch.testing.assert_close(g, r, **TOL, msg=lambda m, name=name: f"grad {name}: {m}")


# ---------------------------------------------------------------- PyTorch와 같은 값 (순전파·역전파)

def test_no_mask_matches_torch():
    assert_same_as_torch(None)


@pytest.mark.parametrize("shape", [(T_Q, T_K), (B, 1, 1, T_K), (B, H, T_Q, T_K)], ids=["2d", "padding", "full"])
def test_bool_mask_matches_torch(shape):
    assert_same_as_torch(random_bool_mask(shape))


def test_float_mask_matches_torch():
    g = torch.Generator().manual_seed(4)
    mask = torch.randn(B, 1, T_Q, T_K, generator=g, dtype=torch.float64)
    mask[..., 1:3] = float("-inf")  # 일부 키는 완전히 가림
    assert_same_as_torch(mask)


def test_float_mask_gradient_matches_torch():
    """float 마스크(예: 학습되는 위치 편향)는 점수에 더해지므로 마스크 자체의 기울기도 같아야 합니다."""
    q, k, v = make_qkv()
    g = torch.Generator().manual_seed(5)
    bias = torch.randn(T_Q, T_K, generator=g, dtype=torch.float64, requires_grad=True)
    _, (g_ours,) = forward_backward(lambda b: tl.scaled_dot_product_attention(q, k, v, mask=b)[0], (bias,))
    _, (g_ref,) = forward_backward(lambda b: F.scaled_dot_product_attention(q, k, v, attn_mask=b), (bias,))
    torch.testing.assert_close(g_ours, g_ref, **TOL)


def test_weights_are_the_softmax_formula():
    q, k, v = make_qkv()
    mask = random_bool_mask((T_Q, T_K))
    out, w = tl.scaled_dot_product_attention(q, k, v, mask=mask)
    scores = (q @ k.transpose(-2, -1) / math.sqrt(D_K)).masked_fill(~mask, float("-inf"))
    expected = torch.softmax(scores, dim=-1)
    assert w.shape == (B, H, T_Q, T_K)
    torch.testing.assert_close(w, expected, **TOL)
    torch.testing.assert_close(out, w @ v, **TOL)
    assert (w[..., ~mask] == 0).all()  # 가려진 키의 가중치는 정확히 0
    torch.testing.assert_close(w.sum(-1), torch.ones(B, H, T_Q, dtype=w.dtype), **TOL)


def test_works_without_leading_dims():
    q, k, v = (t.detach()[0, 0] for t in make_qkv())  # (T, d)
    out, w = tl.scaled_dot_product_attention(q, k, v)
    torch.testing.assert_close(out, F.scaled_dot_product_attention(q, k, v), **TOL)
    assert w.shape == (T_Q, T_K)


# ---------------------------------------------------------------- 모든 키가 가려진 행: 0, NaN 없음

def fully_masked_masks():
    bool_mask = random_bool_mask((T_Q, T_K))
    bool_mask[2] = False
    float_mask = torch.zeros(T_Q, T_K, dtype=torch.float64)
    float_mask[2] = float("-inf")
    return {"bool": bool_mask, "float": float_mask}


@pytest.mark.parametrize("kind", ["bool", "float"])
def test_fully_masked_row_gives_zeros_and_finite_grads(kind):
    mask = fully_masked_masks()[kind]
    q, k, v = make_qkv()
    out, w = tl.scaled_dot_product_attention(q, k, v, mask=mask)
    assert torch.isfinite(out).all() and torch.isfinite(w).all()
    assert (out[..., 2, :] == 0).all()
    assert (w[..., 2, :] == 0).all()
    _, grads = forward_backward(ours(mask), (q, k, v))
    for g in grads:
        assert torch.isfinite(g).all()
    # 그 행은 출력에 기여하지 않으므로 q의 그 행 기울기는 0
    assert (grads[0][..., 2, :] == 0).all()
    # 나머지 값과 기울기는 PyTorch(CPU, 가려진 행 → 0)와 같아야 함
    assert_same_as_torch(mask)


def test_gradcheck_with_mask_float64():
    g = torch.Generator().manual_seed(7)
    q = torch.randn(2, 3, 4, generator=g, dtype=torch.float64, requires_grad=True)
    k = torch.randn(2, 5, 4, generator=g, dtype=torch.float64, requires_grad=True)
    v = torch.randn(2, 5, 3, generator=g, dtype=torch.float64, requires_grad=True)
    mask = random_bool_mask((2, 3, 5))
    mask[1, 0] = False  # 모든 키가 가려진 행도 포함
    bias = torch.randn(3, 5, generator=g, dtype=torch.float64, requires_grad=True)

    def both_outputs(q, k, v):
        return tl.scaled_dot_product_attention(q, k, v, mask=mask)  # (out, weights) 둘 다 검사

    assert torch.autograd.gradcheck(both_outputs, (q, k, v))
    assert torch.autograd.gradcheck(lambda q, k, v, b: tl.scaled_dot_product_attention(q, k, v, mask=b),
                                    (q, k, v, bias))


def test_dropout_applies_to_output_not_to_returned_weights():
    q, k, v = (t.detach() for t in make_qkv())
    _, w_plain = tl.scaled_dot_product_attention(q, k, v)
    out, w = tl.scaled_dot_product_attention(q, k, v, dropout_p=1.0)
    assert (out == 0).all()                        # 모든 가중치를 떨어뜨리면 출력은 0
    torch.testing.assert_close(w, w_plain, **TOL)  # 돌려주는 가중치는 드롭아웃 전 소프트맥스
    torch.manual_seed(0)
    out_half, _ = tl.scaled_dot_product_attention(q, k, v, dropout_p=0.5)
    assert not torch.allclose(out_half, w_plain @ v)


# ---------------------------------------------------------------- 마스크 만들기

def test_causal_mask_is_lower_triangular():
    m = tl.causal_mask(4)
    assert m.dtype == torch.bool and m.shape == (4, 4)
    expected = torch.tensor([[1, 0, 0, 0], [1, 1, 0, 0], [1, 1, 1, 0], [1, 1, 1, 1]], dtype=torch.bool)
    assert torch.equal(m, expected)


def test_causal_mask_blocks_the_future_in_attention():
    q, k, v = (t.detach()[..., :T_Q, :] for t in make_qkv())  # T_q = T_k = 4
    out, w = tl.scaled_dot_product_attention(q, k, v, mask=tl.causal_mask(T_Q))
    assert (w.triu(diagonal=1) == 0).all()
    v2 = v.clone()
    v2[..., -1, :] += 100.0  # 마지막 위치의 밸류를 바꿔도 앞 위치들의 출력은 그대로
    out2, _ = tl.scaled_dot_product_attention(q, k, v2, mask=tl.causal_mask(T_Q))
    torch.testing.assert_close(out2[..., :-1, :], out[..., :-1, :], **TOL)
    assert not torch.allclose(out2[..., -1, :], out[..., -1, :])


def test_padding_mask_shape_and_values():
    tokens = torch.tensor([[5, 6, 7, 0], [8, 0, 0, 0]])
    m = tl.padding_mask(tokens, pad_id=0)
    assert m.shape == (2, 1, 1, 4) and m.dtype == torch.bool
    assert torch.equal(m[:, 0, 0], torch.tensor([[1, 1, 1, 0], [1, 0, 0, 0]], dtype=torch.bool))


def test_combine_masks_is_broadcast_and():
    tokens = torch.tensor([[5, 6, 0], [7, 0, 0]])
    pad, causal = tl.padding_mask(tokens, 0), tl.causal_mask(3)
    m = tl.combine_masks(pad, None, causal)
    assert m.shape == (2, 1, 3, 3)
    assert torch.equal(m, pad & causal)
    assert torch.equal(m[0, 0], torch.tensor([[1, 0, 0], [1, 1, 0], [1, 1, 0]], dtype=torch.bool))
    assert tl.combine_masks(None, None) is None
    assert tl.combine_masks(causal) is causal
