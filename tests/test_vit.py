"""비전 트랜스포머(transformer_lib.vit)와 11장의 학습 방법(transformer_lib.digits).

- 패치 자르기: 손으로 센 값, PyTorch 의 F.unfold 와 같음
- 패치 임베딩: 같은 가중치의 strided Conv2d 와 출력·기울기가 같음, gradcheck
- 2차원 사인파 위치 인코딩: 앞 절반 = 행의 1차원 표, 뒤 절반 = 열의 1차원 표
- ViT 전체: 모양, 어텐션 가중치의 행 합, 모든 파라미터에 기울기, 위치 임베딩이 없으면 패치 순서를 몰라야 함
- 어텐션 롤아웃: 식 그대로 계산한 값과 같음
- 잘못된 입력: 한국어+영어 오류 (특히 패치 크기로 나누어떨어지지 않는 이미지)
- 11장과 같은 방법으로 학습하면 테스트 정확도가 재 둔 하한 이상
"""
import pytest
import torch
import torch.nn.functional as F

import transformer_lib as tl
from transformer_lib import digits
from transformer_lib.vit import PatchEmbedding, patchify

TOL = dict(rtol=1e-9, atol=1e-10)   # float64 에서 비교 (float32 는 합 순서 차이로 1e-6 쯤 다를 수 있음)


def tiny_config(**changes):
    base = dict(image_size=8, patch_size=2, in_channels=1, n_classes=10, d_model=16, n_heads=4, n_layers=2, d_ff=24)
    base.update(changes)
    return tl.ViTConfig(**base)


# ---------------------------------------------------------------- 패치

def test_patchify_by_hand():
    images = torch.arange(2 * 3 * 4 * 6, dtype=torch.float32).view(2, 3, 4, 6)   # B=2, C=3, H=4, W=6
    P = 2
    patches = patchify(images, P)
    assert patches.shape == (2, (4 // P) * (6 // P), 3 * P * P)
    for b in range(2):
        for r in range(4 // P):
            for c in range(6 // P):
                expected = images[b, :, r * P:(r + 1) * P, c * P:(c + 1) * P].reshape(-1)   # (C, P, P) 순서로 폄
                torch.testing.assert_close(patches[b, r * (6 // P) + c], expected, rtol=0, atol=0)


@pytest.mark.parametrize("P", [1, 2, 4, 8])
def test_patchify_matches_unfold(P):
    images = torch.randn(3, 2, 8, 8)
    expected = F.unfold(images, kernel_size=P, stride=P).transpose(1, 2)   # (B, N, C·P·P)
    torch.testing.assert_close(patchify(images, P), expected, rtol=0, atol=0)


@pytest.mark.parametrize("P,C", [(2, 1), (4, 3), (1, 2)])
def test_patch_embedding_equals_strided_conv(P, C):
    torch.manual_seed(0)
    embed = PatchEmbedding(P, C, d_model=12).double()
    conv = embed.to_conv()
    assert conv.kernel_size == (P, P) and conv.stride == (P, P) and conv.weight.dtype == torch.float64
    images = torch.randn(2, C, 8, 8, dtype=torch.float64, requires_grad=True)
    ours = embed(images)                                          # (B, N, d_model)
    theirs = conv(images).flatten(2).transpose(1, 2)              # (B, d_model, H/P, W/P) → (B, N, d_model)
    torch.testing.assert_close(ours, theirs, **TOL)

    upstream = torch.randn_like(ours)
    g_ours = torch.autograd.grad(ours, [images, embed.proj.weight, embed.proj.bias], upstream)
    g_conv = torch.autograd.grad(theirs, [images, conv.weight, conv.bias], upstream)
    torch.testing.assert_close(g_ours[0], g_conv[0], **TOL)
    torch.testing.assert_close(g_ours[1], g_conv[1].reshape(12, -1), **TOL)
    torch.testing.assert_close(g_ours[2], g_conv[2], **TOL)


def test_patch_embedding_gradcheck():
    torch.manual_seed(0)
    embed = PatchEmbedding(2, 1, d_model=3).double()
    images = torch.randn(1, 1, 4, 4, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(embed, (images,))


# ---------------------------------------------------------------- 2차원 사인파 위치 인코딩

def test_sinusoidal_2d_halves_are_row_and_column_tables():
    gh, gw, d = 3, 5, 16
    pe = tl.sinusoidal_2d_positional_encoding(gh, gw, d).view(gh, gw, d)
    rows, cols = tl.sinusoidal_positional_encoding(gh, d // 2), tl.sinusoidal_positional_encoding(gw, d // 2)
    for r in range(gh):
        for c in range(gw):
            torch.testing.assert_close(pe[r, c, : d // 2], rows[r], rtol=0, atol=0)
            torch.testing.assert_close(pe[r, c, d // 2:], cols[c], rtol=0, atol=0)
    flat = pe.view(gh * gw, d)
    assert torch.cdist(flat, flat).add(torch.eye(gh * gw) * 1e9).min() > 0.1   # 모든 패치 자리가 서로 다름


# ---------------------------------------------------------------- ViT 전체

@pytest.mark.parametrize("positional", ["learned", "sinusoidal", "none"])
def test_vit_shapes_and_attention(positional):
    torch.manual_seed(0)
    model = tl.VisionTransformer(tiny_config(positional=positional)).eval()
    assert isinstance(model.encoder, tl.Encoder)                   # 문장용 인코더를 그대로 씀
    images = torch.rand(3, 1, 8, 8)
    logits = model(images)
    assert logits.shape == (3, 10)
    with tl.record_attention(model) as recorded:
        torch.testing.assert_close(model(images), logits, rtol=1e-5, atol=1e-6)   # 기록해도 로짓은 같음
    assert recorded.decoder == [] and recorded.cross == []
    maps = model.attention_maps(images)                            # = recorded.encoder
    T = 16 + 1
    assert len(maps) == 2 and all(w.shape == (3, 4, T, T) for w in maps)
    for w, r in zip(maps, recorded.encoder):
        torch.testing.assert_close(w.sum(-1), torch.ones(3, 4, T))
        torch.testing.assert_close(w, r)
    assert model.embed(images).shape == (3, T, 16)


def test_vit_every_parameter_gets_a_gradient():
    torch.manual_seed(0)
    model = tl.VisionTransformer(tiny_config())
    loss = F.cross_entropy(model(torch.rand(4, 1, 8, 8)), torch.tensor([0, 1, 2, 3]))
    loss.backward()
    for name, p in model.named_parameters():
        assert p.grad is not None and torch.isfinite(p.grad).all(), name
        assert p.grad.abs().sum() > 0, f"{name} 의 기울기가 0"


def test_vit_cls_token_and_positions_are_added():
    torch.manual_seed(0)
    model = tl.VisionTransformer(tiny_config(positional="sinusoidal"))
    images = torch.rand(2, 1, 8, 8)
    x = model.embed(images)
    torch.testing.assert_close(x[:, 0], model.cls_token[0].expand(2, -1))   # [CLS] 자리의 위치 값은 0
    expected = model.patch_embed(images) + tl.sinusoidal_2d_positional_encoding(4, 4, 16)
    torch.testing.assert_close(x[:, 1:], expected)


@pytest.mark.parametrize("P,C,H,W", [(2, 1, 8, 8), (4, 3, 8, 12), (1, 2, 3, 5)])
def test_unpatchify_inverts_patchify(P, C, H, W):
    images = torch.randn(2, C, H, W)
    torch.testing.assert_close(tl.unpatchify(patchify(images, P), P, (H, W)), images, rtol=0, atol=0)


def test_without_positions_patch_order_is_invisible():
    torch.manual_seed(0)
    images = torch.rand(3, 1, 8, 8)
    perm = torch.randperm(16)
    shuffled = tl.unpatchify(patchify(images, 2)[:, perm], 2, (8, 8))
    assert not torch.equal(shuffled, images)
    # 섞은 이미지의 k번째 패치 = 원래의 perm[k]번째 패치 (손으로 잘라 확인)
    for k in (0, 5, 15):
        r, c = divmod(k, 4)
        src_r, src_c = divmod(perm[k].item(), 4)
        torch.testing.assert_close(shuffled[:, :, 2 * r:2 * r + 2, 2 * c:2 * c + 2],
                                   images[:, :, 2 * src_r:2 * src_r + 2, 2 * src_c:2 * src_c + 2], rtol=0, atol=0)
    blind = tl.VisionTransformer(tiny_config(positional="none")).eval()
    torch.testing.assert_close(blind(shuffled), blind(images), rtol=1e-5, atol=1e-6)
    seeing = tl.VisionTransformer(tiny_config(positional="learned")).eval()
    with torch.no_grad():
        seeing.pos_embed.normal_()
    assert (seeing(shuffled) - seeing(images)).abs().max() > 1e-3


def test_attention_rollout_formula():
    torch.manual_seed(0)
    maps = [torch.softmax(torch.randn(2, 3, 5, 5), -1) for _ in range(3)]
    eye = torch.eye(5)
    expected = torch.eye(5).expand(2, 5, 5)
    for w in maps:
        expected = (0.5 * w.mean(1) + 0.5 * eye) @ expected
    rollout = tl.attention_rollout(maps)
    torch.testing.assert_close(rollout, expected)
    torch.testing.assert_close(rollout.sum(-1), torch.ones(2, 5))
    torch.testing.assert_close(tl.attention_rollout(maps[:1], residual=False), maps[0].mean(1))


# ---------------------------------------------------------------- 잘못된 입력

@pytest.mark.parametrize("make", [
    lambda: patchify(torch.rand(1, 1, 8, 8), 3),
    lambda: PatchEmbedding(3, 1, 8)(torch.rand(1, 1, 8, 8)),
    lambda: PatchEmbedding(2, 1, 8)(torch.rand(1, 1, 8, 7)),
    lambda: tl.VisionTransformer(tiny_config(patch_size=3)),
])
def test_image_size_not_divisible_by_patch_size(make):
    with pytest.raises(ValueError, match=r"나누어떨어져야.*divisible"):
        make()


@pytest.mark.parametrize("make,pattern", [
    (lambda: patchify(torch.rand(8, 8), 2), r"\(B, C, H, W\)"),
    (lambda: patchify(torch.rand(1, 1, 8, 8), 0), "patch size must be positive"),
    (lambda: PatchEmbedding(2, 3, 8)(torch.rand(1, 1, 8, 8)), "channel mismatch"),
    (lambda: tl.VisionTransformer(tiny_config())(torch.rand(1, 1, 4, 4)), "image size mismatch"),
    (lambda: tl.VisionTransformer(tiny_config(positional="rope")), "positional"),
    (lambda: tl.sinusoidal_2d_positional_encoding(2, 2, 6), "divisible by 4"),
    (lambda: tl.attention_rollout([]), "empty"),
    (lambda: tl.attention_rollout([torch.rand(1, 2, 3, 4)]), r"\(B, h, T, T\)"),
    (lambda: digits.subset_per_class(torch.arange(10), 0), "out of range"),
    (lambda: tl.unpatchify(torch.rand(1, 15, 4), 2, (8, 8)), "do not tile"),
])
def test_bad_input_messages(make, pattern):
    with pytest.raises(ValueError, match=pattern):
        make()


# ---------------------------------------------------------------- 11장의 학습 방법

def test_subset_per_class_is_balanced():
    y = torch.arange(10).repeat_interleave(7)
    idx = digits.subset_per_class(y, 25, seed=0)
    counts = torch.bincount(y[idx], minlength=10)
    assert len(idx) == 25 and len(set(idx.tolist())) == 25
    assert counts.max() - counts.min() <= 1
    torch.testing.assert_close(digits.subset_per_class(y, len(y)), torch.arange(len(y)))


#: 11장과 같은 설정·학습(seed 0)으로 잰 테스트 정확도 (540장 중 519장). 같은 방법을 seed 1, 2, 3 으로 돌리면
#: 0.941, 0.950, 0.937 이었습니다. CPU 마다 float 합 순서가 조금 달라 학습 경로가 바뀔 수 있으므로, 하한은 그 값들보다
#: 여유 있게 둡니다. 로지스틱 회귀 기준선은 0.970 입니다.
ACCURACY_MEASURED = 0.961
ACCURACY_FLOOR = 0.92


def test_chapter_recipe_reaches_accuracy_floor():
    torch.manual_seed(0)
    data = digits.load_digits_split()
    assert data.x_train.shape == (1257, 1, 8, 8) and data.x_test.shape == (540, 1, 8, 8)
    assert 0.0 <= data.x_train.min() and data.x_train.max() <= 1.0
    model = tl.VisionTransformer(digits.chapter_vit_config())
    losses = digits.train_classifier(model, data.x_train, data.y_train, **digits.CHAPTER_TRAINING)
    acc = digits.accuracy(model, data.x_test, data.y_test)
    assert losses[-1] < losses[0]
    assert acc >= ACCURACY_FLOOR, f"테스트 정확도 {acc:.4f} < 하한 {ACCURACY_FLOOR} (잰 값 {ACCURACY_MEASURED})"


# ---------------------------------------------------------------- 그림 도구 (transformer_lib.viz 의 이미지 함수)

def test_image_figures_have_the_expected_panels():
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from transformer_lib import viz

    image = torch.rand(8, 8)
    fig = viz.image_attention_grid(image, torch.rand(2, 4, 4, 4), row_labels=["층 0", "층 1"],
                                   col_labels=[f"헤드 {h}" for h in range(4)])
    assert len(fig.axes) == 8
    fig = viz.attention_gallery(torch.rand(3, 8, 8), torch.rand(3, 4, 4), titles=["a", "b", "c"])
    assert len(fig.axes) == 6
    fig = viz.position_similarity_grid(torch.randn(16, 8), 4)
    mosaic = fig.axes[0].images[0].get_array()
    assert mosaic.shape == (4 * 4 + 3, 4 * 4 + 3)                        # 4×4 블록 16개, 사이 한 칸씩
    assert abs(float(mosaic[0, 0]) - 1.0) < 1e-6                         # 블록 (0, 0) 의 칸 (0, 0) = 자기 자신
    fig = viz.image_patches(image, 2)
    assert len(fig.axes) == 2
    plt.close("all")
    with pytest.raises(ValueError, match="grid"):
        viz.position_similarity_grid(torch.randn(15, 8), 4)
    with pytest.raises(ValueError, match=r"\(R, C, g, g\)"):
        viz.image_attention_grid(image, torch.rand(4, 4, 4))


def test_plotly_image_slider_steps_show_one_image_each():
    pytest.importorskip("plotly")
    from transformer_lib import viz

    n = 5
    probs = torch.softmax(torch.randn(n, 10), -1)
    fig = viz.plotly_image_attention(torch.rand(n, 8, 8), torch.rand(n, 4, 4), probs,
                                     true_labels=torch.arange(n), active=2)
    assert len(fig.data) == 3 * n
    assert [t.visible for t in fig.data[6:9]] == [True, True, True]
    assert sum(bool(t.visible) for t in fig.data) == 3
    steps = fig.layout.sliders[0].steps
    assert len(steps) == n
    for k, step in enumerate(steps):
        visible = step.args[0]["visible"]
        assert [i for i, v in enumerate(visible) if v] == [3 * k, 3 * k + 1, 3 * k + 2]
        assert f"정답 {k}" in step.args[1]["title.text"]
    with pytest.raises(ValueError, match="같아야"):
        viz.plotly_image_attention(torch.rand(n, 8, 8), torch.rand(n - 1, 4, 4), probs, true_labels=torch.arange(n))
