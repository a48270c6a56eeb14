"""학습 도구: 논문의 워밍업 학습률(Noam) 공식, 라벨 스무딩 손실 vs F.cross_entropy, 작은 학습이 실제로 되는지."""
import pytest
import torch
import torch.nn.functional as F

import transformer_lib as tl


def paper_lrate(step_num, d_model, warmup_steps):
    """논문 5.3절: lrate = d_model^-0.5 · min(step_num^-0.5, step_num · warmup_steps^-1.5)."""
    return d_model ** -0.5 * min(step_num ** -0.5, step_num * warmup_steps ** -1.5)


# ---------------------------------------------------------------- Noam 스케줄

@pytest.mark.parametrize("step", [1, 2, 100, 3999, 4000, 4001, 10_000, 100_000])
def test_noam_lr_is_the_paper_formula(step):
    assert tl.noam_lr(step, 512, 4000) == pytest.approx(paper_lrate(step, 512, 4000), rel=1e-12)
    assert tl.noam_lr(step, 512, 4000, factor=2.0) == pytest.approx(2 * paper_lrate(step, 512, 4000), rel=1e-12)


def test_noam_lr_shape_warmup_then_inverse_sqrt():
    lrs = [tl.noam_lr(s, 512, 4000) for s in range(1, 12_001)]
    assert max(range(len(lrs)), key=lrs.__getitem__) + 1 == 4000        # 최고점 = warmup_steps
    assert max(lrs) == pytest.approx(512 ** -0.5 * 4000 ** -0.5)         # ≈ 7.0e-4 (논문 기본 설정)
    assert tl.noam_lr(2000, 512, 4000) == pytest.approx(2 * tl.noam_lr(1000, 512, 4000))  # 워밍업: 선형 증가
    assert tl.noam_lr(16_000, 512, 4000) == pytest.approx(tl.noam_lr(4000, 512, 4000) / 2)  # 이후: 1/√step
    assert tl.noam_lr(0, 512, 4000) == tl.noam_lr(1, 512, 4000)


def test_noam_schedule_drives_the_optimizer_lr():
    param = torch.nn.Parameter(torch.zeros(3))
    opt = torch.optim.SGD([param], lr=1.0)
    sched = tl.NoamSchedule(opt, d_model=64, warmup_steps=10, factor=0.5)
    seen = []
    for _ in range(25):
        seen.append(opt.param_groups[0]["lr"])  # 이번 업데이트에 쓰일 학습률
        param.sum().backward()
        opt.step()
        sched.step()
    expected = [0.5 * paper_lrate(n, 64, 10) for n in range(1, 26)]  # 첫 업데이트 = step_num 1
    assert seen == pytest.approx(expected, rel=1e-12)


# ---------------------------------------------------------------- 라벨 스무딩

def logits_and_target(seed=0, V=7):
    g = torch.Generator().manual_seed(seed)
    logits = torch.randn(3, 5, V, generator=g, dtype=torch.float64, requires_grad=True)
    target = torch.randint(1, V, (3, 5), generator=g)
    target[0, 3:] = 0  # 패딩
    target[2, 1:] = 0
    return logits, target


@pytest.mark.parametrize("eps", [0.0, 0.1, 0.3])
def test_label_smoothing_matches_torch_cross_entropy(eps):
    logits, target = logits_and_target()
    loss = tl.LabelSmoothingLoss(smoothing=eps, ignore_index=0)(logits, target)
    (g_ours,) = torch.autograd.grad(loss, logits)
    ref = F.cross_entropy(logits.flatten(0, 1), target.flatten(), ignore_index=0, label_smoothing=eps)
    (g_ref,) = torch.autograd.grad(ref, logits)
    torch.testing.assert_close(loss, ref, rtol=1e-12, atol=1e-12)
    torch.testing.assert_close(g_ours, g_ref, rtol=1e-10, atol=1e-12)
    assert (g_ours[target == 0] == 0).all()  # 패딩 자리에는 기울기가 가지 않음


def test_label_smoothing_minimum_is_the_smoothed_target():
    """p가 스무딩된 정답 분포 q와 같을 때 손실이 가장 작고(= q의 엔트로피), 기울기는 0입니다."""
    eps, V = 0.1, 7
    _, target = logits_and_target(V=V)
    q = torch.full((*target.shape, V), eps / V, dtype=torch.float64)
    q.scatter_(-1, target[..., None], 1 - eps + eps / V)
    logits = q.log().requires_grad_()
    loss = tl.LabelSmoothingLoss(eps)(logits, target)
    entropy = -(q * q.log()).sum(-1)[target != 0].mean()
    torch.testing.assert_close(loss, entropy)
    (grad,) = torch.autograd.grad(loss, logits)
    torch.testing.assert_close(grad, torch.zeros_like(grad), rtol=0, atol=1e-12)
    sharper = tl.LabelSmoothingLoss(eps)((2 * logits).detach(), target)  # 더 확신하면 오히려 손실이 큼
    assert sharper > loss


# ---------------------------------------------------------------- 작은 학습

def test_tiny_model_learns_to_copy():
    """모든 부품을 이어 붙인 학습 한 바퀴(임베딩 → 모델 → 라벨 스무딩 → 역전파 → Adam + Noam)가 실제로 배웁니다."""
    torch.manual_seed(0)
    model = tl.Transformer(tl.TransformerConfig(src_vocab_size=8, tgt_vocab_size=8, d_model=32, n_heads=4,
                                                n_layers=1, d_ff=64, dropout=0.0, max_len=16))
    src = torch.tensor([[4, 5, 6, 7], [7, 6, 5, 0], [5, 4, 0, 0]])          # 원문(패딩 0)
    tgt = torch.tensor([[1, 4, 5, 6, 7, 2], [1, 7, 6, 5, 2, 0], [1, 5, 4, 2, 0, 0]])  # BOS ... EOS
    opt = torch.optim.Adam(model.parameters(), lr=1.0, betas=(0.9, 0.98), eps=1e-9)
    sched = tl.NoamSchedule(opt, d_model=32, warmup_steps=10, factor=0.5)
    criterion = tl.LabelSmoothingLoss(smoothing=0.0)
    losses = []
    for _ in range(50):
        loss = criterion(model(src, tgt[:, :-1]), tgt[:, 1:])  # 교사 강요: 한 칸 밀린 정답을 맞힘
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        losses.append(loss.item())
    assert losses[-1] < 0.01 * losses[0]
    model.eval()
    out = tl.greedy_decode(model, src, bos_id=1, eos_id=2, max_len=6)
    assert out.tolist() == tgt.tolist()
