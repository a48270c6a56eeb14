"""작은 토크나이저와 어휘(Vocab): 한국어 단어 단위, 문장부호, 특수 토큰, 모르는 토큰."""
import pytest

import transformer_lib as tl
from transformer_lib.tokenizer import split_tokens

KO = ["나는 학교에 간다.", "나는 밥을 먹는다.", "너는 학교에 가니?"]


def test_tokenization_splits_spaces_and_punctuation():
    assert split_tokens("나는 학교에 간다.") == ["나는", "학교에", "간다", "."]
    assert split_tokens("  너는,  가니?  ") == ["너는", ",", "가니", "?"]


def test_special_ids_are_fixed():
    vocab = tl.Vocab.build(KO)
    assert (vocab.pad_id, vocab.bos_id, vocab.eos_id, vocab.unk_id) == (0, 1, 2, 3)
    assert vocab.itos[:4] == ["<pad>", "<bos>", "<eos>", "<unk>"]
    assert all(vocab.stoi[t] == i for i, t in enumerate(vocab.itos))


def test_build_orders_by_frequency_then_alphabet():
    vocab = tl.Vocab.build(KO)
    # ".", "나는", "학교에" 두 번; 나머지 한 번 → 빈도 내림차순, 같으면 가나다(코드 포인트)순
    assert vocab.itos[4:7] == [".", "나는", "학교에"]
    assert vocab.itos[7:] == sorted(vocab.itos[7:])
    assert len(vocab) == 4 + len({t for s in KO for t in split_tokens(s)})


def test_encode_decode_roundtrip():
    vocab = tl.Vocab.build(KO)
    ids = vocab.encode("나는 학교에 간다.", add_bos=True, add_eos=True)
    assert ids[0] == vocab.bos_id and ids[-1] == vocab.eos_id and len(ids) == 6
    assert vocab.decode(ids) == "나는 학교에 간다."
    assert vocab.decode(vocab.encode("너는 학교에 가니?")) == "너는 학교에 가니?"


def test_unknown_tokens_map_to_unk_and_are_skipped_when_decoding():
    vocab = tl.Vocab.build(KO)
    ids = vocab.encode("나는 도서관에 간다.")
    assert ids[1] == vocab.unk_id and vocab.unk_id not in ids[:1] + ids[2:]
    assert vocab.decode(ids) == "나는 간다."                           # UNK는 특수 토큰이라 건너뜀


def test_special_token_text_in_corpus_is_not_duplicated():
    vocab = tl.Vocab.build(["<unk> 나는 <pad>"])
    assert vocab.itos == ["<pad>", "<bos>", "<eos>", "<unk>", "나는"]


def test_to_dict_from_dict_roundtrip():
    vocab = tl.Vocab.build(KO)
    again = tl.Vocab.from_dict(vocab.to_dict())
    assert again.itos == vocab.itos
    assert again.encode("학교에 가니?") == vocab.encode("학교에 가니?")


def test_bad_itos_is_rejected():
    with pytest.raises(ValueError, match="<pad>"):
        tl.Vocab(["나는", "<pad>", "<bos>", "<eos>", "<unk>"])
