"""11장(ViT)의 데이터와 학습 방법: scikit-learn 에 들어 있는 8×8 손글씨 숫자(내려받기 없음), 작은 CNN 비교 모델.

    load_digits_split(...)   → DigitsSplit: x (B, 1, 8, 8) 밝기 0~1, y (B,) 0~9, 학습·테스트로 나눔
    chapter_vit_config()     → 11장이 쓰는 ViTConfig, CHAPTER_TRAINING → 11장의 학습 설정
    SmallCNN()               → 비교용 작은 합성곱 신경망(CNN)
    train_classifier(...)    → 정해진 스텝 수만큼 AdamW + 코사인 학습률로 학습 (장과 테스트가 같은 방법을 씀)
    accuracy(model, x, y)    → 정확도 (0~1)

scikit-learn 은 load_digits_split 을 부를 때만 불러옵니다(`import transformer_lib` 은 여전히 torch 만 씀).
"""
import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn


#: 11장의 학습 설정 (tests/test_vit.py 가 같은 설정으로 학습해 정확도 하한을 확인합니다)
CHAPTER_TRAINING = dict(steps=300, batch_size=64, lr=3e-3, weight_decay=0.05)


def chapter_vit_config(**changes):
    """11장의 ViT: 8×8 이미지, 2×2 패치 16개 + [CLS], d_model 48, 헤드 4개, 층 2개. changes 로 일부만 바꿉니다."""
    from .vit import ViTConfig

    settings = dict(image_size=8, patch_size=2, in_channels=1, n_classes=10, d_model=48, n_heads=4, n_layers=2,
                    d_ff=96, positional="learned")
    settings.update(changes)
    return ViTConfig(**settings)


@dataclass
class DigitsSplit:
    x_train: torch.Tensor   # (N_train, 1, 8, 8) float32, 밝기 0~1
    y_train: torch.Tensor   # (N_train,) int64, 숫자 0~9
    x_test: torch.Tensor    # (N_test, 1, 8, 8)
    y_test: torch.Tensor    # (N_test,)


def load_digits_split(test_size: float = 0.3, seed: int = 0) -> DigitsSplit:
    """sklearn.datasets.load_digits (1797장, 8×8, 밝기 0~16) 를 부류 비율을 지키며 학습·테스트로 나눕니다."""
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    data = load_digits()
    x = torch.tensor(data.images, dtype=torch.float32)[:, None] / 16.0   # (1797, 1, 8, 8)
    y = torch.tensor(data.target, dtype=torch.long)                       # (1797,)
    idx_train, idx_test = train_test_split(
        torch.arange(len(y)).numpy(), test_size=test_size, random_state=seed, stratify=y.numpy())
    idx_train, idx_test = torch.from_numpy(idx_train), torch.from_numpy(idx_test)
    return DigitsSplit(x[idx_train], y[idx_train], x[idx_test], y[idx_test])


def subset_per_class(y: torch.Tensor, n: int, seed: int = 0) -> torch.Tensor:
    """부류마다 같은 수(n // 부류 수, 나머지는 앞 부류부터)가 되도록 학습 데이터에서 n개의 번호를 고릅니다.

    n = len(y) 이면 전체를 원래 순서대로 돌려줍니다(전체 데이터로 학습한 것과 같게).
    """
    classes = torch.unique(y)
    if not 0 < n <= len(y):
        raise ValueError(f"n(={n})은 1 이상 {len(y)} 이하여야 합니다 (subset size out of range)")
    if n == len(y):
        return torch.arange(len(y))
    g = torch.Generator().manual_seed(seed)
    picks = []
    for i, c in enumerate(classes.tolist()):
        members = torch.nonzero(y == c).flatten()
        k = min(len(members), n // len(classes) + (1 if i < n % len(classes) else 0))
        picks.append(members[torch.randperm(len(members), generator=g)[:k]])
    return torch.sort(torch.cat(picks)).values


class SmallCNN(nn.Module):
    """비교용 CNN: 3×3 합성곱 두 번(+ReLU) → 2×2 최대 풀링 → Linear. 이웃 픽셀을 본다는 가정이 구조에 들어 있습니다."""

    def __init__(self, channels: int = 16, n_classes: int = 10):
        super().__init__()
        self.conv1 = nn.Conv2d(1, channels, 3, padding=1)
        self.conv2 = nn.Conv2d(channels, 2 * channels, 3, padding=1)
        self.head = nn.Linear(2 * channels * 4 * 4, n_classes)

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        x = F.relu(self.conv1(images))                 # (B, c, 8, 8)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)     # (B, 2c, 4, 4)
        return self.head(x.flatten(1))                 # (B, n_classes)


def train_classifier(model: nn.Module, x: torch.Tensor, y: torch.Tensor, *, steps: int = 600,
                     batch_size: int = 64, lr: float = 3e-3, weight_decay: float = 0.05,
                     seed: int = 0) -> list:
    """교차 엔트로피 + AdamW, 학습률은 처음 5% 스텝 동안 선형으로 오른 뒤 코사인으로 0까지 내립니다.

    데이터 수와 상관없이 같은 스텝 수를 학습합니다(계산량을 맞춰 비교하려고). 스텝별 손실 목록을 돌려줍니다.
    """
    if len(x) != len(y) or len(x) == 0:
        raise ValueError(f"x({len(x)}장)와 y({len(y)}개)의 수가 같고 0보다 커야 합니다 (x and y must match)")
    torch.manual_seed(seed)
    g = torch.Generator().manual_seed(seed)
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=weight_decay)
    warmup = max(1, steps // 20)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warmup, 0.5 * (1 + math.cos(math.pi * min(s, steps) / steps))))
    model.train()
    losses, order = [], torch.empty(0, dtype=torch.long)
    for _ in range(steps):
        if len(order) < min(batch_size, len(x)):
            order = torch.cat([order, torch.randperm(len(x), generator=g)])   # 한 바퀴(에포크)씩 섞어 이어 붙임
        batch, order = order[:batch_size], order[batch_size:]
        loss = F.cross_entropy(model(x[batch]), y[batch])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        schedule.step()
        losses.append(loss.item())
    model.eval()
    return losses


@torch.no_grad()
def predict(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    model.eval()
    return model(x).argmax(dim=-1)     # (B,)


def accuracy(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> float:
    return (predict(model, x) == y).float().mean().item()
