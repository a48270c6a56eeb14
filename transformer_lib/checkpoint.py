"""체크포인트(checkpoint) 저장과 불러오기: 설정(config) + 가중치 + sha256 확인.

파일 구조: torch.save({"format", "version", "sha256", "payload"})
    payload = torch.save({"config", "state_dict", "extra"})의 바이트를 담은 uint8 텐서, sha256은 그 바이트의 해시.
    (파이썬 bytes로 저장하면 pickle이 파일을 약 1.5배로 키우므로 텐서에 담습니다.)
불러올 때는 torch.load(weights_only=True)만 씁니다(임의 코드 실행 없음). 해시가 다르거나, 다른 프로그램의
파일이거나, 깨진 파일이면 CheckpointError를 냅니다.
"""
import hashlib
import io
from dataclasses import asdict

import torch

from .model import Transformer, TransformerConfig

FORMAT = "transformer_lib.checkpoint"
VERSION = 1


class CheckpointError(ValueError):
    """체크포인트 파일이 없거나, 깨졌거나, 이 라이브러리의 것이 아닐 때."""


def save_checkpoint(path, model: Transformer, extra=None) -> str:
    """모델의 설정과 가중치(와 어휘 같은 extra)를 저장하고 sha256을 돌려줍니다.

    extra에는 dict/list/str/숫자/텐서만 넣으세요(weights_only=True로 불러올 수 있어야 함).
    """
    buf = io.BytesIO()
    torch.save({"config": asdict(model.config), "state_dict": model.state_dict(), "extra": extra}, buf)
    payload = buf.getvalue()
    digest = hashlib.sha256(payload).hexdigest()
    payload_tensor = torch.frombuffer(bytearray(payload), dtype=torch.uint8)
    torch.save({"format": FORMAT, "version": VERSION, "sha256": digest, "payload": payload_tensor}, path)
    return digest


def load_checkpoint(path, map_location="cpu"):
    """→ (model (eval 모드), extra). 파일이 잘못되었으면 CheckpointError."""
    try:
        outer = torch.load(path, map_location=map_location, weights_only=True)
    except FileNotFoundError:
        raise CheckpointError(f"체크포인트 파일이 없습니다: {path} (checkpoint not found)") from None
    except Exception as e:
        raise CheckpointError(
            f"체크포인트를 읽을 수 없습니다(깨졌거나 torch 파일이 아님): {path} (corrupt checkpoint: {e})"
        ) from None
    if not isinstance(outer, dict) or outer.get("format") != FORMAT:
        raise CheckpointError(
            f"transformer_lib 체크포인트가 아닙니다: {path} (foreign file; expected format {FORMAT!r})"
        )
    if outer.get("version") != VERSION:
        raise CheckpointError(f"지원하지 않는 체크포인트 버전: {outer.get('version')} (expected {VERSION})")
    payload = outer.get("payload")
    if isinstance(payload, torch.Tensor) and payload.dtype == torch.uint8:
        payload = bytes(payload.untyped_storage())
    if not isinstance(payload, bytes) or hashlib.sha256(payload).hexdigest() != outer.get("sha256"):
        raise CheckpointError(f"sha256이 맞지 않습니다: 파일이 손상되었습니다 {path} (sha256 mismatch)")
    try:
        inner = torch.load(io.BytesIO(payload), map_location=map_location, weights_only=True)
        model = Transformer(TransformerConfig(**inner["config"]))
        model.load_state_dict(inner["state_dict"])
    except Exception as e:  # weights_only로 못 읽는 extra, 모르는 설정 항목, 맞지 않는 가중치 모양 등
        raise CheckpointError(
            f"체크포인트의 설정·가중치가 이 버전의 transformer_lib과 맞지 않습니다: {path} (incompatible: {e})"
        ) from None
    model.eval()
    return model, inner["extra"]
