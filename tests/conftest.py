"""테스트 공용 도구(fixture).

transformer_lib의 마스크는 True = 참여(attend)입니다. torch.nn.MultiheadAttention /
nn.TransformerEncoderLayer 등의 bool `attn_mask`·`key_padding_mask`는 반대로 True = 가림(blocked)입니다.
두 규칙 사이의 변환은 아래 한 함수로만 합니다(그 함수 자체도 test_multi_head.py에서 테스트합니다).
"""
import sys
from pathlib import Path

import pytest
import torch

# book/colab.py (Colab 배지·설치 셀·링크)는 저장소에서 쓰는 관리 도구라 패키지 밖에 있습니다: 테스트는 `import colab`
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "book"))

# 테스트의 텐서는 아주 작습니다. 스레드 여러 개는 이득 없이 (바쁜 2코어 기계에서) 수백 배 느려질 수 있고,
# 한 스레드면 합(reduction) 순서도 늘 같아 결과가 결정적(deterministic)입니다.
torch.set_num_threads(1)


def to_torch_blocked(mask: torch.Tensor) -> torch.Tensor:
    """우리 마스크(True = 참여) → PyTorch nn 모듈 마스크(True = 가림). 모양은 그대로 둡니다."""
    if mask.dtype != torch.bool:
        raise TypeError(f"bool 마스크만 뒤집을 수 있습니다; 받은 dtype: {mask.dtype}")
    return ~mask


@pytest.fixture
def blocked():
    """`blocked(mask)`: True = 참여 마스크를 nn.MultiheadAttention의 True = 가림 마스크로 바꿉니다."""
    return to_torch_blocked


def copy_mha_into_torch(ours, theirs: torch.nn.MultiheadAttention) -> None:
    """tl.MultiHeadAttention의 W_q, W_k, W_v, W_o를 nn.MultiheadAttention에 복사합니다.

    nn.MultiheadAttention은 세 행렬을 세로로 이어 붙인 in_proj_weight (3·d_model, d_model)에 둡니다:
    [W_q; W_k; W_v]. 출력 층은 out_proj입니다.
    """
    with torch.no_grad():
        theirs.in_proj_weight.copy_(torch.cat([ours.W_q.weight, ours.W_k.weight, ours.W_v.weight]))
        theirs.in_proj_bias.copy_(torch.cat([ours.W_q.bias, ours.W_k.bias, ours.W_v.bias]))
        theirs.out_proj.weight.copy_(ours.W_o.weight)
        theirs.out_proj.bias.copy_(ours.W_o.bias)


def mha_grads_as_torch(ours) -> dict:
    """우리 MHA의 파라미터 기울기를 nn.MultiheadAttention의 이름·모양으로 묶습니다(기울기 비교용)."""
    return {
        "in_proj_weight": torch.cat([ours.W_q.weight.grad, ours.W_k.weight.grad, ours.W_v.weight.grad]),
        "in_proj_bias": torch.cat([ours.W_q.bias.grad, ours.W_k.bias.grad, ours.W_v.bias.grad]),
        "out_proj.weight": ours.W_o.weight.grad,
        "out_proj.bias": ours.W_o.bias.grad,
    }


@pytest.fixture
def copy_mha():
    """`copy_mha(ours, theirs)`: 우리 MHA 가중치를 nn.MultiheadAttention에 복사합니다."""
    return copy_mha_into_torch


@pytest.fixture
def mha_grads():
    """`mha_grads(ours)`: 우리 MHA의 기울기를 nn.MultiheadAttention 파라미터 이름으로 돌려줍니다."""
    return mha_grads_as_torch


# --- 사이트·브라우저 테스트 (test_site*.py, test_slides.py): 세션 전체가 서버 하나, Chromium 하나를 같이 씁니다 ---
@pytest.fixture(scope="session")
def built_site():
    """빌드된 사이트(_build/html). 없으면 여기서 한 번 빌드합니다 — 테스트를 모으기만 할 때는 빌드하지 않습니다."""
    from sitekit import HTML, ensure_built

    ensure_built()
    return HTML


@pytest.fixture(scope="session")
def server(built_site):
    """_build/html 을 내보내는 로컬 HTTP 서버의 기본 주소."""
    from sitekit import serve

    with serve() as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """헤드리스 Chromium (BOOK_CHROMIUM, 기본 /usr/bin/chromium)."""
    from sitekit import chromium

    with chromium() as b:
        yield b
