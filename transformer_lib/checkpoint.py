"""체크포인트(checkpoint) 저장과 불러오기: safetensors 파일 하나에 설정(config) + 가중치 + extra + sha256.

파일 형식은 safetensors (https://huggingface.co/docs/safetensors) 그대로입니다. pickle 이 없으므로 불러올 때 코드가
실행될 수 없고(torch.load(weights_only=True) 와 같은 수준의 안전), 어느 언어에서나 읽을 수 있습니다:

    [8바이트: 머리말 길이 N (little-endian u64)] [N바이트: JSON 머리말] [텐서 바이트들 (본문, little-endian)]

머리말의 ``__metadata__`` (모두 문자열):
    format          "transformer_lib.checkpoint"
    format_version  "2"  (1 은 torch.save 를 겹쳐 쓴 이전 형식: 더 이상 읽지 않음)
    config          TransformerConfig 의 JSON
    extra           save_checkpoint(extra=...) 의 JSON (어휘 등). 텐서는 {"__tensor__": "__extra__.<번호>"} 로 적고
                    그 이름의 텐서로 저장
    tied            같은 텐서를 공유하는 state_dict 이름 → 저장된 이름 (tie_embeddings), JSON
    sha256          sha256(본문 + 위 항목들을 이름순으로 "\\n<이름>=<값>" 으로 이은 UTF-8)
파일이 없거나, 깨졌거나(잘림·쓰레기), 이 라이브러리의 것이 아니거나(다른 프로그램의 safetensors·torch 파일),
해시가 다르거나, 이 판의 모델과 맞지 않으면 CheckpointError 를 냅니다.
"""
import hashlib
import json
import struct
from dataclasses import asdict
from pathlib import Path

import torch

from .model import Transformer, TransformerConfig

FORMAT = "transformer_lib.checkpoint"
VERSION = 2
_EXTRA_PREFIX = "__extra__."


class CheckpointError(ValueError):
    """체크포인트 파일이 없거나, 깨졌거나, 이 라이브러리의 것이 아닐 때."""


def _digest(body: bytes, meta: dict) -> str:
    h = hashlib.sha256(body)
    for key in sorted(meta):
        if key != "sha256":
            h.update(f"\n{key}={meta[key]}".encode("utf-8"))
    return h.hexdigest()


def _encode_extra(obj, tensors: dict):
    if isinstance(obj, torch.Tensor):
        name = f"{_EXTRA_PREFIX}{len(tensors)}"
        tensors[name] = obj.detach().cpu().contiguous()
        return {"__tensor__": name}
    if isinstance(obj, dict):
        if not all(isinstance(k, str) for k in obj):
            raise TypeError(f"extra 의 dict 키는 문자열이어야 합니다 (extra dict keys must be str): {list(obj)[:5]}")
        return {k: _encode_extra(v, tensors) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_encode_extra(v, tensors) for v in obj]
    if obj is None or isinstance(obj, (str, bool, int, float)):
        return obj
    raise TypeError(f"extra 에는 dict/list/str/숫자/None/텐서만 넣을 수 있습니다 (unsupported in extra): {type(obj).__name__}")


def _decode_extra(obj, tensors: dict):
    if isinstance(obj, dict):
        if set(obj) == {"__tensor__"}:
            return tensors[obj["__tensor__"]]
        return {k: _decode_extra(v, tensors) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_decode_extra(v, tensors) for v in obj]
    return obj


def save_checkpoint(path, model: Transformer, extra=None) -> str:
    """모델의 설정과 가중치(와 어휘 같은 extra)를 safetensors 파일 하나로 저장하고 sha256을 돌려줍니다.

    extra에는 dict(문자열 키)/list/str/숫자/None/텐서만 넣으세요 (JSON 과 텐서로 저장됨; 튜플은 리스트가 됨).
    """
    from safetensors.torch import save

    tensors, tied, seen = {}, {}, {}
    for name, t in model.state_dict().items():
        key = (t.untyped_storage().data_ptr(), t.storage_offset(), tuple(t.shape), tuple(t.stride()), t.dtype)
        if key in seen:                      # tie_embeddings: 같은 텐서를 두 번 쓰지 않음
            tied[name] = seen[key]
            continue
        seen[key] = name
        tensors[name] = t.detach().cpu().contiguous()
    meta = {
        "format": FORMAT,
        "format_version": str(VERSION),
        "config": json.dumps(asdict(model.config), ensure_ascii=False, sort_keys=True),
        "extra": json.dumps(_encode_extra(extra, tensors), ensure_ascii=False, allow_nan=False),
        "tied": json.dumps(tied, sort_keys=True),
    }
    data = save(tensors, metadata=meta)
    body = data[8 + struct.unpack("<Q", data[:8])[0]:]
    meta["sha256"] = _digest(body, meta)
    data = save(tensors, metadata=meta)
    Path(path).write_bytes(data)
    return meta["sha256"]


def _header(data: bytes, path):
    corrupt = f"체크포인트를 읽을 수 없습니다(깨졌거나 잘린 파일): {path} (corrupt checkpoint: "
    if data[:2] == b"PK":
        raise CheckpointError(
            f"transformer_lib 체크포인트가 아닙니다: {path} — torch.save 파일(이전 형식이거나 다른 프로그램의 파일)입니다. "
            f"이 판은 safetensors 형식만 읽습니다 (foreign file: torch zip archive; expected {FORMAT!r} safetensors)")
    if len(data) < 8:
        raise CheckpointError(corrupt + f"{len(data)} bytes)")
    n = struct.unpack("<Q", data[:8])[0]
    if n > len(data) - 8:
        raise CheckpointError(corrupt + f"header of {n} bytes but file has {len(data)})")
    try:
        header = json.loads(data[8:8 + n].decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        raise CheckpointError(corrupt + f"header is not JSON: {e})") from None
    if not isinstance(header, dict):
        raise CheckpointError(corrupt + "header is not a JSON object)")
    return header, data[8 + n:]


def _read(path):
    """파일 → (파일 바이트, 확인한 머리말 __metadata__). 없거나, 깨졌거나, 남의 파일이거나, 해시가 다르면 CheckpointError."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise CheckpointError(f"체크포인트 파일이 없습니다: {path} (checkpoint not found)") from None
    except OSError as e:
        raise CheckpointError(f"체크포인트를 읽을 수 없습니다: {path} (corrupt checkpoint: {e})") from None
    header, body = _header(data, path)
    meta = header.get("__metadata__")
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise CheckpointError(
            f"transformer_lib 체크포인트가 아닙니다: {path} (foreign file; expected format {FORMAT!r} in the "
            f"safetensors metadata)")
    if meta.get("format_version") != str(VERSION):
        raise CheckpointError(
            f"지원하지 않는 체크포인트 형식 판: {meta.get('format_version')} (expected {VERSION}): {path}")
    if not isinstance(meta.get("sha256"), str) or _digest(body, meta) != meta["sha256"]:
        raise CheckpointError(f"sha256이 맞지 않습니다: 파일이 손상되었습니다 {path} (sha256 mismatch)")
    return data, meta


def read_sha256(path) -> str:
    """체크포인트의 sha256 (save_checkpoint 가 돌려준 값). 파일을 다시 계산해 맞는지 확인한 뒤 돌려줍니다."""
    return _read(path)[1]["sha256"]


def load_checkpoint(path):
    """→ (model (CPU, eval 모드), extra). 파일이 잘못되었으면 CheckpointError."""
    data, meta = _read(path)
    try:
        from safetensors.torch import load

        tensors = load(data)
    except Exception as e:  # 머리말의 위치·크기가 본문과 맞지 않음 등
        raise CheckpointError(f"체크포인트를 읽을 수 없습니다(깨진 파일): {path} (corrupt checkpoint: {e})") from None
    try:
        extra = _decode_extra(json.loads(meta["extra"]), tensors)
        tied = json.loads(meta.get("tied", "{}"))
        state = {k: v for k, v in tensors.items() if not k.startswith(_EXTRA_PREFIX)}
        state.update({name: state[src] for name, src in tied.items()})
        model = Transformer(TransformerConfig(**json.loads(meta["config"])))
        model.load_state_dict(state)
    except Exception as e:  # 모르는 설정 항목, 맞지 않는 가중치 이름·모양 등
        raise CheckpointError(
            f"체크포인트의 설정·가중치가 이 버전의 transformer_lib과 맞지 않습니다: {path} (incompatible: {e})"
        ) from None
    model.eval()
    return model, extra
