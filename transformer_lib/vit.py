"""비전 트랜스포머(Vision Transformer, ViT): 이미지를 패치(patch) 토큰의 시퀀스로 바꿔 같은 인코더에 넣습니다.

    이미지 (B, C, H, W) → P×P 패치 N = (H/P)·(W/P)개로 자르고 펴기 → Linear → 패치 임베딩 (B, N, d_model)
    [CLS] 토큰을 맨 앞에 붙임 → 위치 임베딩을 더함 → Encoder (layers.py 그대로) → [CLS] 의 출력 → Linear → 로짓

패치를 펴서 Linear 에 넣는 것은 커널 크기 = 보폭(stride) = P 인 Conv2d 와 같은 계산입니다(`PatchEmbedding.to_conv`).
(Dosovitskiy 외 2020, "An Image is Worth 16x16 Words")

모양: B 배치, C 채널, H·W 이미지 높이·너비, P 패치 한 변, N 패치 수, T = N + 1 ([CLS] 포함).
"""
from dataclasses import dataclass

import torch
from torch import nn

from .attention_maps import record_attention
from .layers import Encoder
from .positional import sinusoidal_positional_encoding

POSITIONAL = ("learned", "sinusoidal", "none")


def patchify(images: torch.Tensor, patch_size: int) -> torch.Tensor:
    """(B, C, H, W) → (B, N, C·P·P): 왼쪽 위부터 행 순서로 P×P 패치를 잘라 각각 한 줄로 폅니다."""
    if patch_size <= 0:
        raise ValueError(f"patch_size(={patch_size})는 1 이상이어야 합니다 (patch size must be positive)")
    check_images(images, patch_size)
    B, C, H, W = images.shape
    P = patch_size
    x = images.reshape(B, C, H // P, P, W // P, P)         # (B, C, H/P, P, W/P, P)
    x = x.permute(0, 2, 4, 1, 3, 5)                        # (B, H/P, W/P, C, P, P)
    return x.reshape(B, (H // P) * (W // P), C * P * P)    # (B, N, C·P·P)


def unpatchify(patches: torch.Tensor, patch_size: int, image_size) -> torch.Tensor:
    """patchify 의 역: (B, N, C·P·P) → (B, C, H, W). image_size = (H, W). 패치 순서를 바꿔 되돌리면 '섞은 이미지'."""
    H, W = image_size
    P = patch_size
    B, N, D = patches.shape
    if H % P or W % P or N != (H // P) * (W // P) or D % (P * P):
        raise ValueError(f"패치 {tuple(patches.shape)}로 {H}×{W} 이미지를 만들 수 없습니다 (patch_size={P}) "
                         "(patches do not tile the image)")
    C = D // (P * P)
    x = patches.reshape(B, H // P, W // P, C, P, P)          # (B, H/P, W/P, C, P, P)
    return x.permute(0, 3, 1, 4, 2, 5).reshape(B, C, H, W)   # (B, C, H, W)


class PatchEmbedding(nn.Module):
    """패치를 펴서 같은 Linear(C·P·P → d_model)에 통과시킵니다: 단어의 임베딩 표 대신 쓰는 '패치 임베딩'."""

    def __init__(self, patch_size: int, in_channels: int, d_model: int):
        super().__init__()
        if patch_size <= 0:
            raise ValueError(f"patch_size(={patch_size})는 1 이상이어야 합니다 (patch size must be positive)")
        self.patch_size = patch_size
        self.in_channels = in_channels
        self.proj = nn.Linear(in_channels * patch_size * patch_size, d_model)

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        check_images(images, self.patch_size, self.in_channels)
        return self.proj(patchify(images, self.patch_size))  # (B, N, d_model)

    def to_conv(self) -> nn.Conv2d:
        """같은 가중치의 Conv2d(kernel_size = stride = P). 출력 (B, d_model, H/P, W/P) 를 펴면 forward 와 같습니다."""
        P, C = self.patch_size, self.in_channels
        w = self.proj.weight
        conv = nn.Conv2d(C, self.proj.out_features, kernel_size=P, stride=P, device=w.device, dtype=w.dtype)
        with torch.no_grad():
            conv.weight.copy_(self.proj.weight.view(-1, C, P, P))  # (d_model, C·P·P) → (d_model, C, P, P)
            conv.bias.copy_(self.proj.bias)
        return conv


def sinusoidal_2d_positional_encoding(grid_h: int, grid_w: int, d_model: int) -> torch.Tensor:
    """2차원 사인파 위치 인코딩 (grid_h·grid_w, d_model): 앞 절반은 행 번호, 뒤 절반은 열 번호의 1차원 표.

    PE2D(r, c) = [PE_{d_model/2}(r), PE_{d_model/2}(c)] — 패치는 행 순서(patchify 와 같음)로 나열합니다.
    """
    if d_model <= 0 or d_model % 4 != 0:
        raise ValueError(f"2차원 사인파 위치 인코딩의 d_model(={d_model})은 4의 배수여야 합니다 "
                         "(행·열에 절반씩, 각각 sin/cos 쌍) (d_model must be divisible by 4)")
    half = d_model // 2
    rows = sinusoidal_positional_encoding(grid_h, half)           # (grid_h, d_model/2)
    cols = sinusoidal_positional_encoding(grid_w, half)           # (grid_w, d_model/2)
    pe = torch.cat([rows[:, None, :].expand(grid_h, grid_w, half),
                    cols[None, :, :].expand(grid_h, grid_w, half)], dim=-1)  # (grid_h, grid_w, d_model)
    return pe.reshape(grid_h * grid_w, d_model)


@dataclass
class ViTConfig:
    image_size: int = 8           # 정사각형 이미지 한 변 (픽셀)
    patch_size: int = 2           # 패치 한 변 P (image_size 를 나누어야 함)
    in_channels: int = 1          # 흑백 1, 컬러 3
    n_classes: int = 10           # 분류할 부류 수
    d_model: int = 64             # 토큰 벡터 길이
    n_heads: int = 4              # 헤드 수
    n_layers: int = 2             # 인코더 층 수
    d_ff: int = 128               # FFN 가운데 층 크기
    dropout: float = 0.0          # 드롭아웃 확률
    positional: str = "learned"   # "learned"(ViT 논문), "sinusoidal"(2차원 사인파), "none"(위치 정보 없음)
    norm_first: bool = True       # ViT 논문은 pre-norm (층 정규화를 서브층 앞에)


class VisionTransformer(nn.Module):
    def __init__(self, config: ViTConfig):
        super().__init__()
        c = self.config = config
        if c.positional not in POSITIONAL:
            raise ValueError(f"positional은 {POSITIONAL} 중 하나여야 합니다; 받은 값: {c.positional!r}")
        if c.patch_size <= 0 or c.image_size % c.patch_size:
            raise ValueError(
                f"image_size(={c.image_size})는 patch_size(={c.patch_size})로 나누어떨어져야 합니다 "
                "(image size must be divisible by patch size)")
        self.grid = c.image_size // c.patch_size                    # 한 변의 패치 수
        n_patches = self.grid * self.grid
        self.patch_embed = PatchEmbedding(c.patch_size, c.in_channels, c.d_model)
        self.cls_token = nn.Parameter(torch.randn(1, 1, c.d_model) * 0.02)  # 학습되는 [CLS] 벡터 하나
        if c.positional == "learned":
            self.pos_embed = nn.Parameter(torch.randn(1, n_patches + 1, c.d_model) * 0.02)
        elif c.positional == "sinusoidal":
            table = torch.cat([torch.zeros(1, c.d_model),               # [CLS] 자리는 위치가 없으므로 0
                               sinusoidal_2d_positional_encoding(self.grid, self.grid, c.d_model)])
            self.register_buffer("pos_embed", table[None], persistent=False)  # (1, N + 1, d_model)
        else:
            self.pos_embed = None
        self.encoder = Encoder(c.n_layers, c.d_model, c.n_heads, c.d_ff, c.dropout, c.norm_first)
        self.classifier = nn.Linear(c.d_model, c.n_classes)          # 분류층: [CLS] 출력 → 부류 로짓

    def embed(self, images: torch.Tensor) -> torch.Tensor:
        """(B, C, H, W) → 인코더 입력 (B, T, d_model): [CLS] + 패치 임베딩 + 위치 임베딩."""
        c = self.config
        check_images(images, c.patch_size, c.in_channels)
        if images.shape[-2:] != (c.image_size, c.image_size):
            raise ValueError(f"이미지 크기는 {c.image_size}×{c.image_size}여야 합니다; 받은 모양: "
                             f"{tuple(images.shape)} (image size mismatch)")
        patches = self.patch_embed(images)                             # (B, N, d_model)
        cls = self.cls_token.expand(images.shape[0], -1, -1)           # (B, 1, d_model)
        x = torch.cat([cls, patches], dim=1)                           # (B, T, d_model)
        return x if self.pos_embed is None else x + self.pos_embed

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        """(B, C, H, W) → 로짓 (B, n_classes)."""
        x = self.encoder(self.embed(images))                           # (B, T, d_model)
        return self.classifier(x[:, 0])                                # [CLS] 자리만 → (B, n_classes)

    def attention_maps(self, images: torch.Tensor) -> list:
        """층별 셀프 어텐션 가중치 [(B, h, T, T)] — 행 = 쿼리, 열 = 키, 0번 토큰이 [CLS].

        `with tl.record_attention(model) as maps: model(images)` 의 maps.encoder 와 같습니다(그 줄임)."""
        with record_attention(self) as maps:
            self(images)
        return maps.encoder


def attention_rollout(weights, residual: bool = True) -> torch.Tensor:
    """어텐션 롤아웃(attention rollout, Abnar & Zuidema 2020): 층별 맵 [(B, h, T, T)] → (B, T, T).

    층마다 헤드 평균 Ā_l 에 잔차 연결 몫으로 단위 행렬을 더해 A_l = (Ā_l + I) / 2 (행 합 1) 로 만들고,
    R = A_{L-1} ⋯ A_1 A_0 을 곱합니다. R[i, j] 는 '마지막 층의 토큰 i 가 입력 토큰 j 에서 받은 몫'의 근사입니다.
    """
    if not weights:
        raise ValueError("층별 어텐션 가중치 목록이 비었습니다 (empty list of attention maps)")
    rollout = None
    for w in weights:
        if w.dim() != 4 or w.shape[-1] != w.shape[-2]:
            raise ValueError(f"층마다 (B, h, T, T) 셀프 어텐션 가중치여야 합니다; 받은 모양: {tuple(w.shape)}")
        a = w.mean(dim=1)                                              # (B, T, T) 헤드 평균
        if residual:
            a = 0.5 * a + 0.5 * torch.eye(a.shape[-1], dtype=a.dtype, device=a.device)
        rollout = a if rollout is None else a @ rollout                # (B, T, T)
    return rollout


# 입력 검사 ---------------------------------------------------------------------------------------------------
def check_images(images: torch.Tensor, patch_size: int, in_channels=None) -> None:
    if images.dim() != 4:
        raise ValueError(f"이미지는 (B, C, H, W) 4차원이어야 합니다; 받은 모양: {tuple(images.shape)} "
                         "(images must be (B, C, H, W))")
    B, C, H, W = images.shape
    if in_channels is not None and C != in_channels:
        raise ValueError(f"채널 수 C={C}가 in_channels={in_channels}와 다릅니다 (channel mismatch)")
    if H % patch_size or W % patch_size:
        raise ValueError(
            f"이미지 크기 {H}×{W}는 patch_size={patch_size}로 나누어떨어져야 합니다 "
            f"(image size {H}x{W} must be divisible by patch size {patch_size})")
