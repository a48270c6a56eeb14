"""체크포인트 저장·불러오기: 왕복(roundtrip), sha256 불일치, 깨진 파일, 다른 프로그램의 torch 파일, 없는 파일."""
import hashlib
import io
import os
import pickle

import pytest
import torch

import transformer_lib as tl
from transformer_lib import checkpoint as ckpt_module


def read_payload(path) -> bytes:
    """바깥 파일에서 payload 바이트(uint8 텐서에 담겨 있음)를 꺼낸다."""
    return bytes(torch.load(path, weights_only=True)["payload"].untyped_storage())


def make_model(**overrides):
    torch.manual_seed(0)
    cfg = dict(src_vocab_size=9, tgt_vocab_size=7, d_model=16, n_heads=2, n_layers=1, d_ff=32, max_len=20)
    cfg.update(overrides)
    return tl.Transformer(tl.TransformerConfig(**cfg)).eval()


SRC = torch.tensor([[3, 4, 5, 0]])
TGT = torch.tensor([[1, 3, 4]])


@pytest.fixture
def saved(tmp_path):
    path = tmp_path / "model.pt"
    vocab = tl.Vocab.build(["나는 학교에 간다."])
    digest = tl.save_checkpoint(path, make_model(), extra={"vocab": vocab.to_dict(), "epoch": 3})
    return path, digest


@pytest.mark.parametrize("overrides", [{}, {"tie_embeddings": True, "norm_first": True, "positional": "learned"}])
def test_roundtrip_restores_config_weights_and_extra(tmp_path, overrides):
    model = make_model(**overrides)
    path = tmp_path / "m.pt"
    extra = {"vocab": tl.Vocab.build(["나는 학교에 간다."]).to_dict(), "note": "안녕", "t": torch.arange(3)}
    digest = tl.save_checkpoint(path, model, extra=extra)
    loaded, loaded_extra = tl.load_checkpoint(path)
    assert loaded.config == model.config
    assert not loaded.training                                   # eval 모드로 돌려줌
    sd, loaded_sd = model.state_dict(), loaded.state_dict()
    assert sd.keys() == loaded_sd.keys()
    assert all(torch.equal(sd[k], loaded_sd[k]) for k in sd)
    torch.testing.assert_close(loaded(SRC, TGT), model(SRC, TGT), rtol=0, atol=0)
    assert loaded_extra["note"] == "안녕" and torch.equal(loaded_extra["t"], torch.arange(3))
    assert tl.Vocab.from_dict(loaded_extra["vocab"]).itos == tl.Vocab.from_dict(extra["vocab"]).itos
    assert len(digest) == 64 and torch.load(path, weights_only=True)["sha256"] == digest
    if model.config.tie_embeddings:
        assert loaded.generator.weight is loaded.tgt_embed.embedding.weight


def test_sinusoidal_table_is_not_stored(saved):
    path, _ = saved
    inner = torch.load(io.BytesIO(read_payload(path)), weights_only=True)
    assert not any(k.endswith("pos.pe") for k in inner["state_dict"])


def test_sha_mismatch_is_detected(saved, tmp_path):
    path, _ = saved
    outer = torch.load(path, weights_only=True)
    payload = outer["payload"].clone()
    payload[len(payload) // 2] ^= 0xFF  # 가중치 가운데의 한 바이트를 뒤집음
    outer["payload"] = payload
    bad = tmp_path / "tampered.pt"
    torch.save(outer, bad)
    with pytest.raises(tl.CheckpointError, match="sha256"):
        tl.load_checkpoint(bad)


@pytest.mark.parametrize("damage", ["truncated", "garbage", "empty"])
def test_corrupt_file_gives_checkpoint_error(saved, tmp_path, damage):
    path, _ = saved
    data = path.read_bytes()
    bad = tmp_path / "bad.pt"
    bad.write_bytes({"truncated": data[: len(data) // 2], "garbage": os.urandom(512), "empty": b""}[damage])
    with pytest.raises(tl.CheckpointError, match="corrupt") as info:
        tl.load_checkpoint(bad)
    assert str(bad) in str(info.value)  # 어떤 파일이 문제인지 알려 줌


@pytest.mark.parametrize("foreign", ["state_dict", "tensor", "other_dict"])
def test_foreign_torch_file_gives_checkpoint_error(tmp_path, foreign):
    obj = {"state_dict": make_model().state_dict(), "tensor": torch.zeros(3), "other_dict": {"format": "x"}}[foreign]
    path = tmp_path / "foreign.pt"
    torch.save(obj, path)
    with pytest.raises(tl.CheckpointError, match="foreign"):
        tl.load_checkpoint(path)


def test_missing_file_gives_checkpoint_error(tmp_path):
    with pytest.raises(tl.CheckpointError, match="not found"):
        tl.load_checkpoint(tmp_path / "nope.pt")


def test_checkpoint_error_is_a_value_error():
    assert issubclass(tl.CheckpointError, ValueError)


def test_missing_fields_in_our_format_give_checkpoint_error(tmp_path):
    path = tmp_path / "partial.pt"
    torch.save({"format": ckpt_module.FORMAT, "version": ckpt_module.VERSION}, path)  # payload·sha256 없음
    with pytest.raises(tl.CheckpointError):
        tl.load_checkpoint(path)


def test_wrong_version_gives_checkpoint_error(saved, tmp_path):
    path, _ = saved
    outer = torch.load(path, weights_only=True)
    outer["version"] = 999
    torch.save(outer, tmp_path / "v.pt")
    with pytest.raises(tl.CheckpointError, match="999"):
        tl.load_checkpoint(tmp_path / "v.pt")


class Exploit:
    """불러오는 순간 파일을 만드는 악성 피클(pickle). weights_only=True면 실행되지 않아야 합니다."""

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


def test_checkpoint_from_an_incompatible_config_gives_checkpoint_error(saved, tmp_path):
    inner = torch.load(io.BytesIO(read_payload(saved[0])), weights_only=True)
    inner["config"]["future_option"] = True  # 이 버전에 없는 설정 항목
    buf = io.BytesIO()
    torch.save(inner, buf)
    payload = buf.getvalue()
    path = tmp_path / "future.pt"
    torch.save({"format": ckpt_module.FORMAT, "version": ckpt_module.VERSION,
                "sha256": hashlib.sha256(payload).hexdigest(), "payload": payload}, path)
    with pytest.raises(tl.CheckpointError, match="맞지 않습니다"):
        tl.load_checkpoint(path)
