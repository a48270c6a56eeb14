"""체크포인트 저장·불러오기 (safetensors): 왕복(roundtrip), sha256 불일치, 깨진·잘린 파일, 다른 프로그램의 파일,
이전 형식, 맞지 않는 설정, 없는 파일, 악성 pickle. 각 테스트가 나쁜 파일을 직접 만듭니다."""
import json
import os
import pickle
import struct

import pytest
import torch
from safetensors.torch import save as st_save
from safetensors.torch import save_file

import transformer_lib as tl
from transformer_lib import checkpoint as ckpt_module


def make_model(**overrides):
    torch.manual_seed(0)
    cfg = dict(src_vocab_size=9, tgt_vocab_size=7, d_model=16, n_heads=2, n_layers=1, d_ff=32, max_len=20)
    cfg.update(overrides)
    return tl.Transformer(tl.TransformerConfig(**cfg)).eval()


SRC = torch.tensor([[3, 4, 5, 0]])
TGT = torch.tensor([[1, 3, 4]])


def read_header(path):
    """torch 없이(표준 라이브러리만으로) 머리말을 읽습니다: 다른 언어에서 읽는 것과 같은 방법."""
    data = open(path, "rb").read()
    n = struct.unpack("<Q", data[:8])[0]
    return json.loads(data[8:8 + n]), data[8 + n:]


def rewrite(path, out, *, tensors=None, meta_update=None, keep_sha=True):
    """파일을 safetensors 로 다시 쓰되 텐서나 메타데이터를 바꿉니다 (sha256 은 그대로 두거나 새로 계산)."""
    from safetensors.torch import load_file

    header, _ = read_header(path)
    meta = dict(header["__metadata__"])
    meta.update(meta_update or {})
    tensors = tensors if tensors is not None else load_file(path)
    if not keep_sha:
        data = st_save(tensors, metadata=meta)
        meta["sha256"] = ckpt_module._digest(data[8 + struct.unpack("<Q", data[:8])[0]:], meta)
    save_file(tensors, out, metadata=meta)
    return out


@pytest.fixture
def saved(tmp_path):
    path = tmp_path / "model.safetensors"
    vocab = tl.Vocab.build(["나는 학교에 간다."])
    digest = tl.save_checkpoint(path, make_model(), extra={"vocab": vocab.to_dict(), "epoch": 3})
    return path, digest


@pytest.mark.parametrize("overrides", [{}, {"tie_embeddings": True, "norm_first": True, "positional": "learned"}])
def test_roundtrip_restores_config_weights_and_extra(tmp_path, overrides):
    model = make_model(**overrides)
    path = tmp_path / "m.safetensors"
    extra = {"vocab": tl.Vocab.build(["나는 학교에 간다."]).to_dict(), "note": "안녕", "t": torch.arange(3),
             "nested": [{"x": 1.5, "y": None}]}
    digest = tl.save_checkpoint(path, model, extra=extra)
    loaded, loaded_extra = tl.load_checkpoint(path)
    assert loaded.config == model.config
    assert not loaded.training                                   # eval 모드로 돌려줌
    sd, loaded_sd = model.state_dict(), loaded.state_dict()
    assert sd.keys() == loaded_sd.keys()
    assert all(torch.equal(sd[k], loaded_sd[k]) and sd[k].dtype == loaded_sd[k].dtype for k in sd)
    torch.testing.assert_close(loaded(SRC, TGT), model(SRC, TGT), rtol=0, atol=0)
    assert loaded_extra["note"] == "안녕" and torch.equal(loaded_extra["t"], torch.arange(3))
    assert loaded_extra["nested"] == [{"x": 1.5, "y": None}]
    assert tl.Vocab.from_dict(loaded_extra["vocab"]).itos == tl.Vocab.from_dict(extra["vocab"]).itos
    header, _ = read_header(path)
    assert len(digest) == 64 and header["__metadata__"]["sha256"] == digest == ckpt_module.read_sha256(path)
    if model.config.tie_embeddings:
        assert loaded.to_logits.weight is loaded.tgt_embed.embedding.weight
        assert json.loads(header["__metadata__"]["tied"])        # 공유 텐서는 한 번만 저장


def test_metadata_is_readable_without_torch(saved):
    """다른 언어도 읽을 수 있는 형식: 8바이트 길이 + JSON 머리말(설정·어휘·해시) + 리틀 엔디언 텐서."""
    path, digest = saved
    header, body = read_header(path)
    meta = header["__metadata__"]
    assert meta["format"] == ckpt_module.FORMAT and meta["format_version"] == "2"
    assert json.loads(meta["config"])["d_model"] == 16
    assert json.loads(meta["extra"])["vocab"]["itos"][:4] == ["<pad>", "<bos>", "<eos>", "<unk>"]
    name, info = next((k, v) for k, v in header.items() if k != "__metadata__")
    start, end = info["data_offsets"]
    values = struct.unpack(f"<{(end - start) // 4}f", body[start:end])
    assert info["dtype"] == "F32" and len(values) == torch.Size(info["shape"]).numel()
    assert torch.equal(torch.tensor(values).reshape(info["shape"]), tl.load_checkpoint(path)[0].state_dict()[name])


def test_sinusoidal_table_is_not_stored(saved):
    header, _ = read_header(saved[0])
    assert not any(k.endswith("pos.pe") for k in header)


def test_sha_mismatch_in_weights_is_detected(saved, tmp_path):
    path, _ = saved
    raw = bytearray(path.read_bytes())
    raw[-len(raw) // 3] ^= 0xFF  # 가중치 본문의 한 바이트를 뒤집음
    bad = tmp_path / "tampered.safetensors"
    bad.write_bytes(bytes(raw))
    with pytest.raises(tl.CheckpointError, match="sha256"):
        tl.load_checkpoint(bad)
    with pytest.raises(tl.CheckpointError, match="sha256"):   # 체크섬을 보여 주기 전에도 다시 계산해 확인
        ckpt_module.read_sha256(bad)


def test_sha_mismatch_in_metadata_is_detected(saved, tmp_path):
    """어휘(메타데이터)만 바꾸고 해시는 그대로 둔 파일."""
    path, _ = saved
    extra = json.loads(read_header(path)[0]["__metadata__"]["extra"])
    extra["vocab"]["itos"][4] = "바뀐말"
    bad = rewrite(path, tmp_path / "meta.safetensors", meta_update={"extra": json.dumps(extra, ensure_ascii=False)})
    with pytest.raises(tl.CheckpointError, match="sha256"):
        tl.load_checkpoint(bad)


@pytest.mark.parametrize("damage", ["truncated_body", "truncated_header", "garbage", "empty", "tiny"])
def test_corrupt_or_truncated_file_gives_checkpoint_error(saved, tmp_path, damage):
    path, _ = saved
    data = path.read_bytes()
    n = struct.unpack("<Q", data[:8])[0]
    bad = tmp_path / "bad.safetensors"
    bad.write_bytes({"truncated_body": data[: len(data) - 100], "truncated_header": data[: 8 + n // 2],
                     "garbage": os.urandom(512), "empty": b"", "tiny": b"\x01\x02"}[damage])
    with pytest.raises(tl.CheckpointError, match="corrupt|sha256") as info:
        tl.load_checkpoint(bad)
    assert str(bad) in str(info.value)  # 어떤 파일이 문제인지 알려 줌


def test_header_offsets_that_do_not_match_the_body_give_checkpoint_error(saved, tmp_path):
    """해시는 맞게 다시 계산했지만 머리말의 텐서 위치가 본문과 맞지 않는 파일."""
    path, _ = saved
    header, body = read_header(path)
    name = next(k for k in header if k != "__metadata__")
    header[name]["data_offsets"][1] += 4
    meta = header["__metadata__"]
    meta["sha256"] = ckpt_module._digest(body, meta)
    h = json.dumps(header).encode()
    bad = tmp_path / "offsets.safetensors"
    bad.write_bytes(struct.pack("<Q", len(h)) + h + body)
    with pytest.raises(tl.CheckpointError, match="corrupt"):
        tl.load_checkpoint(bad)


@pytest.mark.parametrize("foreign", ["plain_safetensors", "other_format", "torch_state_dict", "torch_tensor"])
def test_foreign_file_gives_checkpoint_error(tmp_path, foreign):
    path = tmp_path / "foreign.bin"
    sd = {k: v.contiguous() for k, v in make_model().state_dict().items()}
    if foreign == "plain_safetensors":                 # 다른 프로그램이 만든 safetensors (메타데이터 없음)
        save_file(sd, path)
    elif foreign == "other_format":
        save_file(sd, path, metadata={"format": "pt"})
    elif foreign == "torch_state_dict":
        torch.save(sd, path)
    else:
        torch.save(torch.zeros(3), path)
    with pytest.raises(tl.CheckpointError, match="foreign"):
        tl.load_checkpoint(path)


def test_previous_torch_save_format_gives_checkpoint_error(tmp_path):
    """이전 형식(torch.save 안의 uint8 텐서 안의 torch.save)은 읽지 않고, 무엇인지 알려 줌."""
    import io

    buf = io.BytesIO()
    torch.save({"config": {}, "state_dict": {}, "extra": None}, buf)
    path = tmp_path / "ko_en.pt"
    torch.save({"format": ckpt_module.FORMAT, "version": 1, "sha256": "0" * 64,
                "payload": torch.frombuffer(bytearray(buf.getvalue()), dtype=torch.uint8)}, path)
    with pytest.raises(tl.CheckpointError, match="torch.save"):
        tl.load_checkpoint(path)


def test_missing_file_gives_checkpoint_error(tmp_path):
    with pytest.raises(tl.CheckpointError, match="not found"):
        tl.load_checkpoint(tmp_path / "nope.safetensors")


def test_checkpoint_error_is_a_value_error():
    assert issubclass(tl.CheckpointError, ValueError)


def test_missing_fields_in_our_format_give_checkpoint_error(tmp_path):
    path = tmp_path / "partial.safetensors"
    save_file({"w": torch.zeros(2)}, path, metadata={"format": ckpt_module.FORMAT, "format_version": "2"})
    with pytest.raises(tl.CheckpointError, match="sha256"):
        tl.load_checkpoint(path)


def test_wrong_version_gives_checkpoint_error(saved, tmp_path):
    bad = rewrite(saved[0], tmp_path / "v.safetensors", meta_update={"format_version": "999"}, keep_sha=False)
    with pytest.raises(tl.CheckpointError, match="999"):
        tl.load_checkpoint(bad)


class Exploit:
    """불러오는 순간 파일을 만드는 악성 피클(pickle). 절대 실행되지 않아야 합니다."""

    marker = None

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


def test_malicious_pickle_is_refused_without_running_code(tmp_path):
    marker = tmp_path / "pwned"
    Exploit.marker = marker
    path = tmp_path / "evil.pt"
    torch.save({"format": ckpt_module.FORMAT, "payload": Exploit()}, path, pickle_module=pickle)
    assert not marker.exists()
    with pytest.raises(tl.CheckpointError):
        tl.load_checkpoint(path)
    assert not marker.exists()


@pytest.mark.parametrize("change", ["unknown_option", "wrong_shape", "missing_tensor"])
def test_incompatible_checkpoint_gives_checkpoint_error(saved, tmp_path, change):
    """해시까지 맞게 만든, 이 판의 모델과 맞지 않는 파일 (미래의 설정 항목, 다른 모양, 빠진 가중치)."""
    from safetensors.torch import load_file

    path, _ = saved
    meta = read_header(path)[0]["__metadata__"]
    config = json.loads(meta["config"])
    tensors = load_file(path)
    if change == "unknown_option":
        config["future_option"] = True
    elif change == "wrong_shape":
        config["d_ff"] = 64
    else:
        tensors.pop(sorted(tensors)[0])
    bad = rewrite(path, tmp_path / f"{change}.safetensors", tensors=tensors,
                  meta_update={"config": json.dumps(config)}, keep_sha=False)
    with pytest.raises(tl.CheckpointError, match="맞지 않습니다"):
        tl.load_checkpoint(bad)


def test_extra_with_unsupported_type_is_refused_at_save(tmp_path):
    with pytest.raises(TypeError, match="extra"):
        tl.save_checkpoint(tmp_path / "x.safetensors", make_model(), extra={"s": {1, 2}})
