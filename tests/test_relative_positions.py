"""상대 위치 방식(로터리, ALiBi)과 10장의 변형 학습(toy/ablate.py) 테스트."""
import math

import pytest
import torch

import transformer_lib as tl
from transformer_lib.positional import NoPositionalEncoding, RotaryEmbedding, alibi_mask, alibi_slopes


def small_config(**kw):
    base = dict(src_vocab_size=13, tgt_vocab_size=11, d_model=16, n_heads=4, n_layers=2, d_ff=32, dropout=0.0,
                max_len=32)
    return tl.TransformerConfig(**{**base, **kw})


# ------------------------------------------------------------------------------------------ 로터리
def rotary_by_complex(x, base=10000.0):
    """다른 방법으로 쓴 로터리: 짝 (x_i, x_{i+d/2})를 복소수 하나로 보고 e^{i·m·θ_i}를 곱합니다."""
    T, d = x.shape[-2], x.shape[-1]
    theta = base ** (-torch.arange(0, d, 2, dtype=torch.float64) / d)
    angle = torch.arange(T, dtype=torch.float64)[:, None] * theta
    z = torch.complex(x[..., : d // 2].double(), x[..., d // 2:].double()) * torch.polar(torch.ones_like(angle), angle)
    return torch.cat([z.real, z.imag], dim=-1).to(x.dtype)


def test_rotary_shape_and_matches_complex_rotation():
    torch.manual_seed(0)
    rope = RotaryEmbedding(8, max_len=20)
    x = torch.randn(2, 3, 11, 8)                      # (B, h, T, d_k)
    y = rope(x)
    assert y.shape == x.shape
    torch.testing.assert_close(y, rotary_by_complex(x), atol=1e-5, rtol=1e-5)
    torch.testing.assert_close(y[..., 0, :], x[..., 0, :])                           # 위치 0은 회전 없음
    torch.testing.assert_close(y.norm(dim=-1), x.norm(dim=-1), atol=1e-5, rtol=1e-5)  # 회전은 길이를 보존


def test_rotary_scores_depend_only_on_relative_position():
    torch.manual_seed(1)
    rope = RotaryEmbedding(16, max_len=64)
    q, k = torch.randn(16), torch.randn(16)
    T = 12
    Q = rope(q.expand(T, 16))            # 같은 쿼리를 위치 0..T-1에
    K = rope(k.expand(T, 16))
    S = Q @ K.T                          # S[m, n] = ⟨R(m)q, R(n)k⟩
    for d in range(-T + 1, T):           # 대각선(m - n = 상수)마다 값이 하나
        diag = torch.diagonal(S, offset=d)
        torch.testing.assert_close(diag, diag[0].expand_as(diag), atol=1e-4, rtol=1e-4)
    # 상대 위치가 다르면 값도 다릅니다(회전이 실제로 일어남)
    assert not torch.allclose(torch.diagonal(S, 0)[0], torch.diagonal(S, 3)[0])
    # offset으로 통째로 밀어도 점수는 같습니다
    S_shift = rope(q.expand(T, 16), offset=20) @ rope(k.expand(T, 16), offset=20).T
    torch.testing.assert_close(S_shift, S, atol=1e-4, rtol=1e-4)


def test_rotary_gradients():
    rope = RotaryEmbedding(4, max_len=8)
    x = torch.randn(2, 5, 4, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(rope, (x,))


@pytest.mark.parametrize("make, match", [
    (lambda: RotaryEmbedding(7), "짝수"),
    (lambda: RotaryEmbedding(8, max_len=0), "max_len"),
    (lambda: RotaryEmbedding(8, max_len=4)(torch.randn(1, 5, 8)), "범위"),
    (lambda: RotaryEmbedding(8)(torch.randn(1, 5, 6)), "d_k=8"),
    (lambda: RotaryEmbedding(8)(torch.randn(1, 0, 8)), "범위"),
    (lambda: tl.Transformer(small_config(d_model=12, n_heads=4, positional="rotary")), "짝수"),   # d_k = 3
])
def test_rotary_bad_input(make, match):
    with pytest.raises(ValueError, match=match):
        make()


# ------------------------------------------------------------------------------------------ ALiBi
def test_alibi_slopes_follow_the_paper():
    torch.testing.assert_close(alibi_slopes(8), torch.tensor([2.0 ** -(i + 1) for i in range(8)]))
    # 2의 거듭제곱이 아니면: 4개짜리 기울기 + 8개짜리의 짝수 번째 앞 2개 (ALiBi 공개 구현과 같은 값)
    torch.testing.assert_close(alibi_slopes(6), torch.tensor([2 ** -2, 2 ** -4, 2 ** -6, 2 ** -8, 2 ** -1, 2 ** -3]))
    with pytest.raises(ValueError, match="n_heads"):
        alibi_slopes(0)


def test_alibi_mask_is_relative_and_keeps_the_mask():
    slopes = alibi_slopes(2)
    mask = torch.tensor([[True, True, True, False]])[:, None, None, :]    # (B=1, 1, 1, 4): 마지막은 패딩
    m = alibi_mask(mask, slopes, 4, 4)
    assert m.shape == (1, 2, 4, 4) and m.dtype == torch.float32
    assert torch.isinf(m[..., 3]).all() and (m[..., 3] < 0).all()          # 가린 자리 = -inf
    i, j = torch.meshgrid(torch.arange(4), torch.arange(3), indexing="ij")
    torch.testing.assert_close(m[0, :, :, :3], -slopes[:, None, None] * (i - j).abs().float())
    with pytest.raises(TypeError, match="bool"):
        alibi_mask(mask.float(), slopes, 4, 4)


def attention_for_repeated_token(positional, T=9):
    """같은 토큰만 늘어놓은 문장의 인코더 0층 셀프 어텐션 가중치 (h, T, T). 위치 말고는 차이가 없는 입력."""
    torch.manual_seed(0)
    model = tl.Transformer(small_config(positional=positional)).eval()
    with tl.record_attention(model) as maps:
        model(torch.full((1, T), 5), torch.full((1, 2), 3))
    return maps.encoder[0][0]


def test_alibi_attention_decays_with_distance_for_identical_tokens():
    w = attention_for_repeated_token("alibi")
    slopes = alibi_slopes(4)
    i, j = torch.meshgrid(torch.arange(9), torch.arange(9), indexing="ij")
    expected = torch.softmax(-slopes[:, None, None] * (i - j).abs(), dim=-1)   # 점수가 모두 같으면 편향만 남음
    torch.testing.assert_close(w, expected, atol=1e-5, rtol=1e-4)


def test_rotary_attention_is_shift_invariant_for_identical_tokens():
    w = attention_for_repeated_token("rotary", T=9)
    logits = w.log()                                   # 행마다 상수만큼 다른 점수
    logits = logits - logits[:, :, :1]                 # 열 0 기준으로 맞춤
    # 점수가 i - j에만 달라지면, 행 i와 행 i+1은 한 칸 밀린 모양: score[i, j] - score[i, j'] = score[i+1, j+1] - …
    d1 = logits[:, :-1, 1:-1] - logits[:, :-1, :1]     # 행 i, 열 j ↔ 열 0
    d2 = logits[:, 1:, 2:] - logits[:, 1:, 1:2]        # 행 i+1, 열 j+1 ↔ 열 1
    torch.testing.assert_close(d1, d2, atol=1e-4, rtol=1e-4)
    # 사인파는 그렇지 않습니다(절대 위치를 더하므로): 이 테스트가 실패할 수 있다는 확인
    ws = attention_for_repeated_token("sinusoidal", T=9).log()
    assert not torch.allclose(ws[:, :-1, 1:-1] - ws[:, :-1, :1], ws[:, 1:, 2:] - ws[:, 1:, 1:2], atol=1e-3)


@pytest.mark.parametrize("positional", ["rotary", "alibi"])
def test_relative_models_train_and_match_weights_path(positional):
    torch.manual_seed(0)
    model = tl.Transformer(small_config(positional=positional))
    ref = tl.Transformer(small_config())
    assert model.state_dict().keys() == ref.state_dict().keys()      # 학습하는 값이 더 생기지 않음
    assert isinstance(model.src_pos, NoPositionalEncoding)
    src = torch.tensor([[3, 4, 5, 6, 0, 0], [7, 8, 9, 10, 11, 12]])
    tgt = torch.tensor([[1, 4, 5, 0], [1, 6, 7, 8]])
    model(src, tgt).logsumexp(-1).sum().backward()
    no_grad = [n for n, p in model.named_parameters() if p.grad is None or not p.grad.abs().sum() > 0]
    assert no_grad == []
    model.eval()
    fast = model(src, tgt)
    with tl.record_attention(model):
        slow = model(src, tgt)
    torch.testing.assert_close(fast, slow, atol=1e-5, rtol=1e-5)
    assert torch.isfinite(fast).all()
    # 디코딩도 됩니다(디코더 셀프 어텐션에 상대 위치, 크로스 어텐션에는 없음)
    ys = tl.greedy_decode(model, src, 1, 2, max_len=7)
    assert ys.shape[0] == 2 and ys.shape[1] <= 7


def test_unknown_positional_is_rejected():
    with pytest.raises(ValueError, match="rotary"):
        tl.Transformer(small_config(positional="relative"))


def test_default_is_still_the_papers_sinusoid():
    assert tl.TransformerConfig(5, 5).positional == "sinusoidal"
    model = tl.Transformer(small_config())
    assert isinstance(model.src_pos, tl.PositionalEncoding)
    assert all(layer.self_attn.rotary is None for layer in model.encoder.layers)
    assert not hasattr(model, "alibi_slopes")
    assert math.isfinite(float(model(torch.tensor([[3, 4]]), torch.tensor([[1]])).sum().detach()))
