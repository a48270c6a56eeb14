"""잘못된 입력에는 무엇이 기대되는지 말해 주는 오류를 냅니다: 경우마다 오류 종류와 메시지를 확인합니다.

각 메시지는 (1) 어떤 인자/값이 문제인지, (2) 기대한 것, (3) 받은 것을 담아야 합니다.
"""
import re

import pytest
import torch

import transformer_lib as tl

D_MODEL, N_HEADS = 16, 4


def tiny_model(max_len=8):
    torch.manual_seed(0)
    return tl.Transformer(tl.TransformerConfig(src_vocab_size=9, tgt_vocab_size=9, d_model=D_MODEL, n_heads=N_HEADS,
                                               n_layers=1, d_ff=8, max_len=max_len)).eval()


def long(*shape):
    return torch.ones(shape, dtype=torch.long)


Q, K, V = torch.randn(2, 4, 8), torch.randn(2, 5, 8), torch.randn(2, 5, 3)
X = torch.randn(2, 5, D_MODEL)
MHA = tl.MultiHeadAttention(D_MODEL, N_HEADS)


def raises(exc, call, *fragments):
    """call()이 exc를 내고, 메시지에 fragments가 모두 (글자 그대로) 들어 있는지 확인합니다."""
    with pytest.raises(exc) as info:
        call()
    message = str(info.value)
    for fragment in fragments:
        assert re.search(re.escape(fragment), message), f"{fragment!r} not in {message!r}"
    return message


# ---------------------------------------------------------------- d_model이 n_heads로 나누어떨어지지 않음

@pytest.mark.parametrize("build", [
    lambda: tl.MultiHeadAttention(30, 4),
    lambda: tl.EncoderLayer(30, 4, 64),
    lambda: tl.Transformer(tl.TransformerConfig(5, 5, d_model=30, n_heads=4)),
], ids=["MultiHeadAttention", "EncoderLayer", "Transformer"])
def test_d_model_not_divisible_by_n_heads(build):
    raises(ValueError, build, "d_model(=30)", "n_heads(=4)", "divisible")


# ---------------------------------------------------------------- 사인파 표에 홀수 d_model

@pytest.mark.parametrize("build", [
    lambda: tl.sinusoidal_positional_encoding(10, 7),
    lambda: tl.PositionalEncoding(7),
], ids=["table", "module"])
def test_odd_d_model_for_sinusoidal_table(build):
    raises(ValueError, build, "d_model(=7)", "짝수", "even")


# ---------------------------------------------------------------- q/k/v 마지막 차원 불일치

def test_q_k_last_dim_mismatch():
    raises(ValueError, lambda: tl.scaled_dot_product_attention(Q, torch.randn(2, 5, 6), V),
           "d_k", "(2, 4, 8)", "(2, 5, 6)")


def test_k_v_length_mismatch():
    raises(ValueError, lambda: tl.scaled_dot_product_attention(Q, K, torch.randn(2, 6, 3)),
           "T_k", "(2, 5, 8)", "(2, 6, 3)")


@pytest.mark.parametrize("which", ["query", "key", "value"])
def test_mha_input_last_dim_is_not_d_model(which):
    args = {"query": X, "key": X, "value": X}
    args[which] = torch.randn(2, 5, 8)
    raises(ValueError, lambda: MHA(args["query"], args["key"], args["value"]),
           which, "(B, T, d_model=16)", "(2, 5, 8)")


# 마스크를 받는 세 경로: tl.scaled_dot_product_attention, MHA 의 가중치 경로, MHA 의 융합(fused) 경로
MASKED_CALLS = pytest.mark.parametrize("call", [
    lambda m: tl.scaled_dot_product_attention(X, X, X, mask=m),
    lambda m: MHA(X, X, X, mask=m, need_weights=True),
    lambda m: MHA(X, X, X, mask=m),
], ids=["sdpa", "mha_weights_path", "mha_fast_path"])


# ---------------------------------------------------------------- 브로드캐스트되지 않는 마스크

@MASKED_CALLS
def test_mask_not_broadcastable(call):
    mask = torch.ones(3, 3, dtype=torch.bool)
    raises(ValueError, lambda: call(mask), "(3, 3)", "(..., T_q, T_k)", "broadcast")


def test_key_padding_mask_of_wrong_batch_is_not_broadcastable():
    mask = torch.ones(3, 1, 1, 5, dtype=torch.bool)  # 배치 3 ≠ 2
    raises(ValueError, lambda: MHA(X, X, X, mask=mask), "(3, 1, 1, 5)", "(2, 4, 5, 5)")


# ---------------------------------------------------------------- 잘못된 dtype의 마스크

@MASKED_CALLS
def test_integer_mask(call):
    raises(TypeError, lambda: call(torch.ones(5, 5, dtype=torch.long)), "bool", "True = 참여", "torch.int64")


@pytest.mark.parametrize("need_weights", [True, False], ids=["weights_path", "fast_path"])
def test_float_mask_of_other_precision(need_weights):
    mask = torch.zeros(5, 5, dtype=torch.float64)  # 모델은 float32
    raises(TypeError, lambda: MHA(X, X, X, mask=mask, need_weights=need_weights), "torch.float32", "torch.float64")


def test_combine_masks_rejects_integer_masks():
    raises(TypeError, lambda: tl.combine_masks(tl.causal_mask(3), torch.ones(3, 3, dtype=torch.long)),
           "bool", "torch.int64")


# ---------------------------------------------------------------- max_len보다 긴 시퀀스

@pytest.mark.parametrize("call", [
    lambda: tl.PositionalEncoding(D_MODEL, max_len=4)(X),
    lambda: tl.LearnedPositionalEncoding(D_MODEL, max_len=4)(X),
], ids=["sinusoidal", "learned"])
def test_sequence_longer_than_max_len(call):
    raises(ValueError, call, "T=5", "max_len=4", "longer than max_len")


@pytest.mark.parametrize("side", ["src", "tgt"])
def test_model_input_longer_than_max_len(side):
    src, tgt = (long(1, 9), long(1, 2)) if side == "src" else (long(1, 2), long(1, 9))
    raises(ValueError, lambda: tiny_model(max_len=8)(src, tgt), "T=9", "max_len=8")


# ---------------------------------------------------------------- 빈 시퀀스

@pytest.mark.parametrize("call", [
    lambda: tl.scaled_dot_product_attention(Q[:, :0], K, V),
    lambda: tl.scaled_dot_product_attention(Q, K[:, :0], V[:, :0]),
    lambda: MHA(X[:, :0], X, X),
    lambda: MHA(X, X[:, :0], X[:, :0]),
    lambda: tl.PositionalEncoding(D_MODEL)(X[:, :0]),
    lambda: tiny_model()(long(1, 0), long(1, 2)),
    lambda: tiny_model()(long(1, 2), long(1, 0)),
], ids=["sdpa_q", "sdpa_kv", "mha_query", "mha_key", "positional", "model_src", "model_tgt"])
def test_empty_sequence(call):
    raises(ValueError, call, "empty sequence")


def test_empty_causal_mask():
    raises(ValueError, lambda: tl.causal_mask(0), "T", "0", "positive")


def test_decoding_an_empty_source():
    raises(ValueError, lambda: tl.greedy_decode(tiny_model(), long(1, 0), 1, 2, 5), "(B, S)", "(1, 0)")


# ---------------------------------------------------------------- 차원 수(rank)가 틀림

def test_wrong_rank_attention_input():
    raises(ValueError, lambda: tl.scaled_dot_product_attention(torch.randn(8), K, V), "(..., T, d)", "(8,)")


def test_wrong_rank_mha_input():
    raises(ValueError, lambda: MHA(torch.randn(5, D_MODEL), X, X), "(B, T, d_model=16)", "(5, 16)")


def test_wrong_rank_positional_input():
    raises(ValueError, lambda: tl.PositionalEncoding(D_MODEL)(torch.randn(5, D_MODEL)), "(B, T, d_model)", "(5, 16)")


@pytest.mark.parametrize("call", [
    lambda: tiny_model()(long(6), long(1, 2)),
    lambda: tiny_model().encode(long(6)),
    lambda: tl.padding_mask(long(6), 0),
], ids=["model_forward", "model_encode", "padding_mask"])
def test_wrong_rank_tokens(call):
    raises(ValueError, call, "(B,", "2차원", "(6,)")


# ---------------------------------------------------------------- 그 밖의 흔한 실수

def test_token_id_outside_vocabulary():
    raises(ValueError, lambda: tiny_model()(torch.tensor([[1, 20]]), long(1, 2)), "0 이상 9 미만", "1..20")


def test_src_and_tgt_batch_sizes_differ():
    raises(ValueError, lambda: tiny_model()(long(2, 3), long(1, 2)), "src (2, 3)", "tgt (1, 2)")


def test_query_and_key_batch_sizes_differ():
    kv = torch.randn(3, 5, D_MODEL)
    raises(ValueError, lambda: MHA(X, kv, kv), "2", "3", "배치")


def test_label_smoothing_shape_mismatch_and_range():
    raises(ValueError, lambda: tl.LabelSmoothingLoss()(torch.randn(2, 3, 5), long(2, 4)), "(2, 3, 5)", "(2, 4)")
    raises(ValueError, lambda: tl.LabelSmoothingLoss(smoothing=1.0), "smoothing(=1.0)")
    raises(ValueError, lambda: tl.LabelSmoothingLoss()(torch.randn(1, 2, 5), torch.zeros(1, 2, dtype=torch.long)),
           "패딩")


def test_bad_config_choices():
    raises(ValueError, lambda: tl.Transformer(tl.TransformerConfig(5, 5, d_model=16, n_heads=4, positional="rope")),
           "sinusoidal", "learned", "rotary", "alibi", "'rope'")
    raises(ValueError, lambda: tl.noam_lr(1, 16, 0), "warmup_steps(=0)")
