"""인코더·디코더 층(과 그 부품: FFN, 위치 인코딩, 임베딩)을 PyTorch와 비교합니다.

EncoderLayer/DecoderLayer는 nn.TransformerEncoderLayer/TransformerDecoderLayer(batch_first=True, dropout=0,
eval 모드)에 같은 가중치를 넣고, post-norm(기본)·pre-norm(norm_first=True) 모두에서 출력과 기울기를 비교합니다.
"""
import math

import pytest
import torch
from torch import nn

import transformer_lib as tl

B, T, S, D_MODEL, N_HEADS, D_FF = 2, 5, 6, 16, 4, 24
TOL = dict(rtol=1e-9, atol=1e-10)
TGT_TOKENS = torch.tensor([[4, 5, 6, 7, 8], [9, 3, 4, 0, 0]])
SRC_TOKENS = torch.tensor([[4, 5, 6, 7, 8, 9], [9, 3, 0, 0, 0, 0]])


# ---------------------------------------------------------------- 가중치 짝짓기

def mha_pairs(prefix, ours, theirs):
    """(이름, [우리 파라미터들], PyTorch 파라미터): in_proj는 [W_q; W_k; W_v]를 세로로 이은 것."""
    return [
        (f"{prefix}.in_proj_weight", [ours.W_q.weight, ours.W_k.weight, ours.W_v.weight], theirs.in_proj_weight),
        (f"{prefix}.in_proj_bias", [ours.W_q.bias, ours.W_k.bias, ours.W_v.bias], theirs.in_proj_bias),
        (f"{prefix}.out_proj.weight", [ours.W_o.weight], theirs.out_proj.weight),
        (f"{prefix}.out_proj.bias", [ours.W_o.bias], theirs.out_proj.bias),
    ]


def layer_pairs(ours, theirs):
    pairs = mha_pairs("self_attn", ours.self_attn, theirs.self_attn)
    if hasattr(ours, "cross_attn"):
        pairs += mha_pairs("multihead_attn", ours.cross_attn, theirs.multihead_attn)
    for lin in ("linear1", "linear2"):
        for p in ("weight", "bias"):
            pairs.append((f"{lin}.{p}", [getattr(getattr(ours.ffn, lin), p)], getattr(getattr(theirs, lin), p)))
    for norm in ("norm1", "norm2", "norm3"):
        if hasattr(ours, norm):
            for p in ("weight", "bias"):
                pairs.append((f"{norm}.{p}", [getattr(getattr(ours, norm), p)], getattr(getattr(theirs, norm), p)))
    return pairs


def randomize_(module, seed):
    """LayerNorm의 기본값(1, 0)까지 모두 임의 값으로: 복사가 틀리면 반드시 드러나도록."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(torch.randn(p.shape, generator=g, dtype=p.dtype) * 0.3)


def copy_(pairs):
    with torch.no_grad():
        for _, ours, theirs in pairs:
            theirs.copy_(torch.cat([p for p in ours]))


def assert_grads_equal(pairs):
    for name, ours, theirs in pairs:
        torch.testing.assert_close(torch.cat([p.grad for p in ours]), theirs.grad, **TOL,
                                   msg=lambda m, name=name: f"{name}: {m}")


def run_backward(out, seed=5):
    g = torch.Generator().manual_seed(seed)
    out.backward(torch.randn(out.shape, generator=g, dtype=out.dtype))


def x_like(shape, seed, dtype=torch.float64):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(shape, generator=g, dtype=dtype).requires_grad_()


def copied_layer_pair(ours_class, torch_class, norm_first):
    """float64 의 우리 층과 PyTorch 층: 우리 층을 임의 값으로 채우고 PyTorch 층에 복사합니다. (ours, theirs, pairs)."""
    ours = ours_class(D_MODEL, N_HEADS, D_FF, dropout_p=0.0, norm_first=norm_first).double().eval()
    theirs = torch_class(D_MODEL, N_HEADS, D_FF, dropout=0.0, batch_first=True,
                         norm_first=norm_first, dtype=torch.float64).eval()
    randomize_(ours, seed=0)
    pairs = layer_pairs(ours, theirs)
    copy_(pairs)
    return ours, theirs, pairs


# ---------------------------------------------------------------- EncoderLayer vs nn.TransformerEncoderLayer

ENC_MASKS = ["none", "padding", "causal_padding"]


def encoder_masks(kind, blocked):
    pad = tl.padding_mask(TGT_TOKENS, 0) if kind != "none" else None
    causal = tl.causal_mask(T) if kind == "causal_padding" else None
    ours = tl.combine_masks(pad, causal)
    return ours, (blocked(causal) if causal is not None else None), (
        blocked(pad)[:, 0, 0, :] if pad is not None else None)


@pytest.mark.parametrize("mask_kind", ENC_MASKS)
@pytest.mark.parametrize("norm_first", [False, True], ids=["post_norm", "pre_norm"])
def test_encoder_layer_matches_torch(norm_first, mask_kind, blocked):
    ours, theirs, pairs = copied_layer_pair(tl.EncoderLayer, nn.TransformerEncoderLayer, norm_first)
    mask, src_mask, key_padding = encoder_masks(mask_kind, blocked)

    x = x_like((B, T, D_MODEL), seed=1)
    x_t = x.detach().clone().requires_grad_()
    out = ours(x, mask)
    ref = theirs(x_t, src_mask=src_mask, src_key_padding_mask=key_padding)
    torch.testing.assert_close(out, ref, **TOL)
    run_backward(out)
    run_backward(ref)
    torch.testing.assert_close(x.grad, x_t.grad, **TOL)
    assert_grads_equal(pairs)


@pytest.mark.parametrize("norm_first", [False, True], ids=["post_norm", "pre_norm"])
def test_encoder_layer_matches_torch_inference_fast_path_float32(norm_first, blocked):
    """no_grad + eval이면 PyTorch는 자체 빠른 커널을 쓸 수 있습니다. 그 결과와도 같아야 합니다."""
    ours = tl.EncoderLayer(D_MODEL, N_HEADS, D_FF, norm_first=norm_first).eval()
    theirs = nn.TransformerEncoderLayer(D_MODEL, N_HEADS, D_FF, dropout=0.0, batch_first=True,
                                        norm_first=norm_first).eval()
    randomize_(ours, seed=0)
    copy_(layer_pairs(ours, theirs))
    x = x_like((B, T, D_MODEL), seed=1, dtype=torch.float32).detach()
    with torch.no_grad():
        out = ours(x, tl.padding_mask(TGT_TOKENS, 0))
        ref = theirs(x, src_key_padding_mask=blocked(tl.padding_mask(TGT_TOKENS, 0))[:, 0, 0, :])
    # PyTorch 빠른 경로는 패딩 위치 출력을 0으로 채울 수 있으므로 실제 토큰 위치만 비교
    real = TGT_TOKENS != 0
    torch.testing.assert_close(out[real], ref[real], rtol=1e-4, atol=1e-5)


# ---------------------------------------------------------------- DecoderLayer vs nn.TransformerDecoderLayer

@pytest.mark.parametrize("padding", [False, True], ids=["causal_only", "causal_and_padding"])
@pytest.mark.parametrize("norm_first", [False, True], ids=["post_norm", "pre_norm"])
def test_decoder_layer_matches_torch(norm_first, padding, blocked):
    ours, theirs, pairs = copied_layer_pair(tl.DecoderLayer, nn.TransformerDecoderLayer, norm_first)

    causal = tl.causal_mask(T)
    tgt_pad = tl.padding_mask(TGT_TOKENS, 0) if padding else None
    src_pad = tl.padding_mask(SRC_TOKENS, 0) if padding else None
    x, memory = x_like((B, T, D_MODEL), seed=1), x_like((B, S, D_MODEL), seed=2)
    x_t, memory_t = (t.detach().clone().requires_grad_() for t in (x, memory))

    out = ours(x, memory, tl.combine_masks(tgt_pad, causal), src_pad)
    ref = theirs(x_t, memory_t, tgt_mask=blocked(causal),
                 tgt_key_padding_mask=blocked(tgt_pad)[:, 0, 0, :] if padding else None,
                 memory_key_padding_mask=blocked(src_pad)[:, 0, 0, :] if padding else None)
    torch.testing.assert_close(out, ref, **TOL)
    run_backward(out)
    run_backward(ref)
    torch.testing.assert_close(x.grad, x_t.grad, **TOL)
    torch.testing.assert_close(memory.grad, memory_t.grad, **TOL)
    assert_grads_equal(pairs)


# ---------------------------------------------------------------- Encoder / Decoder 스택

@pytest.mark.parametrize("norm_first", [False, True], ids=["post_norm", "pre_norm"])
def test_encoder_and_decoder_stacks_match_torch(norm_first, blocked):
    n_layers = 2
    enc = tl.Encoder(n_layers, D_MODEL, N_HEADS, D_FF, norm_first=norm_first).double().eval()
    dec = tl.Decoder(n_layers, D_MODEL, N_HEADS, D_FF, norm_first=norm_first).double().eval()
    randomize_(enc, 0)
    randomize_(dec, 1)
    # 우리 Encoder/Decoder는 pre-norm일 때만 마지막 LayerNorm을 둡니다.
    final_norm = (lambda: nn.LayerNorm(D_MODEL, dtype=torch.float64)) if norm_first else (lambda: None)
    t_enc = nn.TransformerEncoder(
        nn.TransformerEncoderLayer(D_MODEL, N_HEADS, D_FF, 0.0, batch_first=True, norm_first=norm_first,
                                   dtype=torch.float64),
        n_layers, norm=final_norm(), enable_nested_tensor=False).eval()
    t_dec = nn.TransformerDecoder(
        nn.TransformerDecoderLayer(D_MODEL, N_HEADS, D_FF, 0.0, batch_first=True, norm_first=norm_first,
                                   dtype=torch.float64),
        n_layers, norm=final_norm()).eval()
    for i in range(n_layers):
        copy_(layer_pairs(enc.layers[i], t_enc.layers[i]))
        copy_(layer_pairs(dec.layers[i], t_dec.layers[i]))
    if norm_first:
        t_enc.norm.load_state_dict(enc.norm.state_dict())
        t_dec.norm.load_state_dict(dec.norm.state_dict())
    assert isinstance(enc.norm, nn.LayerNorm if norm_first else nn.Identity)

    src_pad, tgt_pad, causal = tl.padding_mask(SRC_TOKENS, 0), tl.padding_mask(TGT_TOKENS, 0), tl.causal_mask(T)
    x_src, x_tgt = x_like((B, S, D_MODEL), 1).detach(), x_like((B, T, D_MODEL), 2).detach()
    memory = enc(x_src, src_pad)
    out = dec(x_tgt, memory, tl.combine_masks(tgt_pad, causal), src_pad)
    kp_src, kp_tgt = blocked(src_pad)[:, 0, 0, :], blocked(tgt_pad)[:, 0, 0, :]
    ref_memory = t_enc(x_src, src_key_padding_mask=kp_src)
    ref = t_dec(x_tgt, ref_memory, tgt_mask=blocked(causal), tgt_key_padding_mask=kp_tgt,
                memory_key_padding_mask=kp_src)
    torch.testing.assert_close(memory, ref_memory, **TOL)
    torch.testing.assert_close(out, ref, **TOL)


def test_record_attention_on_encoder_and_decoder_stacks():
    torch.manual_seed(0)
    enc = tl.Encoder(3, D_MODEL, N_HEADS, D_FF).eval()
    dec = tl.Decoder(2, D_MODEL, N_HEADS, D_FF).eval()
    x_src, x_tgt = torch.randn(B, S, D_MODEL), torch.randn(B, T, D_MODEL)
    src_pad = tl.padding_mask(SRC_TOKENS, 0)
    with tl.record_attention(enc) as enc_maps:
        memory = enc(x_src, src_pad)
    with tl.record_attention(dec) as dec_maps:
        out = dec(x_tgt, memory, tl.causal_mask(T), src_pad)
    assert [w.shape for w in enc_maps.encoder] == [(B, N_HEADS, S, S)] * 3
    assert dec_maps.encoder == [] and enc_maps.decoder == [] and enc_maps.cross == []
    assert [w.shape for w in dec_maps.decoder] == [(B, N_HEADS, T, T)] * 2
    assert [w.shape for w in dec_maps.cross] == [(B, N_HEADS, T, S)] * 2
    assert all((w.triu(1) == 0).all() for w in dec_maps.decoder)
    assert all((w[1, ..., 2:] == 0).all() for w in dec_maps.cross)  # 원문 패딩에는 가중치 0
    # 기록할 때(가중치 경로)와 아닐 때(합친 경로) 출력이 같다
    torch.testing.assert_close(dec(x_tgt, memory, tl.causal_mask(T), src_pad), out)
    torch.testing.assert_close(enc(x_src, src_pad), memory)
    # with 밖에서는 아무것도 기록하지 않는다
    assert all(m.record is None for m in dec.modules() if isinstance(m, tl.MultiHeadAttention))


def test_record_attention_on_single_layers_keeps_the_latest_forward():
    torch.manual_seed(0)
    layer = tl.DecoderLayer(D_MODEL, N_HEADS, D_FF).eval()
    memory = torch.randn(B, S, D_MODEL)
    with tl.record_attention(layer) as maps:
        assert maps.decoder == [None] and maps.cross == [None]        # forward 전에는 빈칸
        layer(torch.randn(B, 3, D_MODEL), memory)
        layer(torch.randn(B, T, D_MODEL), memory, tl.causal_mask(T))   # 마지막 forward 의 지도가 남음
    assert maps.decoder[0].shape == (B, N_HEADS, T, T) and maps.cross[0].shape == (B, N_HEADS, T, S)
    enc_layer = tl.EncoderLayer(D_MODEL, N_HEADS, D_FF)
    with tl.record_attention(enc_layer) as maps:
        enc_layer(torch.randn(B, T, D_MODEL))
    torch.testing.assert_close(maps.encoder[0].sum(-1), torch.ones(B, N_HEADS, T))
    with pytest.raises(ValueError, match="EncoderLayer"):
        with tl.record_attention(tl.FeedForward(D_MODEL, D_FF)):
            pass
    with tl.record_attention(layer), pytest.raises(RuntimeError, match="nested"):
        with tl.record_attention(layer):
            pass
    assert layer.self_attn.record is None and layer.cross_attn.record is None   # 밖에서는 다시 기록하지 않음


# ---------------------------------------------------------------- 피드포워드 신경망

def test_feed_forward_formula_and_position_wise():
    torch.manual_seed(0)
    ffn = tl.FeedForward(D_MODEL, D_FF)
    x = torch.randn(B, T, D_MODEL)
    expected = torch.relu(x @ ffn.linear1.weight.T + ffn.linear1.bias) @ ffn.linear2.weight.T + ffn.linear2.bias
    torch.testing.assert_close(ffn(x), expected)
    perm = torch.tensor([3, 0, 4, 1, 2])  # 위치를 섞으면 출력도 똑같이 섞일 뿐 (토큰끼리 섞지 않음)
    torch.testing.assert_close(ffn(x[:, perm]), ffn(x)[:, perm])


# ---------------------------------------------------------------- 위치 인코딩과 임베딩

@pytest.mark.parametrize("max_len,d_model", [(1, 2), (7, 4), (12, 10)])
def test_sinusoidal_table_matches_paper_formula_loop(max_len, d_model):
    pe = tl.sinusoidal_positional_encoding(max_len, d_model)
    expected = torch.zeros(max_len, d_model, dtype=torch.float64)
    for pos in range(max_len):
        for i in range(d_model // 2):
            angle = pos / 10000 ** (2 * i / d_model)
            expected[pos, 2 * i] = math.sin(angle)
            expected[pos, 2 * i + 1] = math.cos(angle)
    assert pe.shape == (max_len, d_model) and pe.dtype == torch.float32
    # 공식을 float64로 계산해 float32로 반올림한 값과 비트 단위까지 같음
    assert torch.equal(pe, expected.float())


def test_positional_encoding_adds_table_and_is_not_saved():
    pe_mod = tl.PositionalEncoding(D_MODEL, max_len=20)
    x = torch.randn(B, T, D_MODEL)
    torch.testing.assert_close(pe_mod(x), x + tl.sinusoidal_positional_encoding(20, D_MODEL)[:T])
    assert "pe" not in pe_mod.state_dict()              # 체크포인트에 들어가지 않는 버퍼
    assert pe_mod.double().pe.dtype == torch.float64    # .to()/.double()이 버퍼도 옮김
    assert list(pe_mod.parameters()) == []


def test_learned_positional_encoding_adds_trainable_vectors():
    torch.manual_seed(0)
    pe_mod = tl.LearnedPositionalEncoding(D_MODEL, max_len=10)
    x = torch.randn(B, T, D_MODEL)
    torch.testing.assert_close(pe_mod(x), x + pe_mod.pe.weight[:T])
    pe_mod(x).sum().backward()
    assert (pe_mod.pe.weight.grad[:T] != 0).any() and (pe_mod.pe.weight.grad[T:] == 0).all()


def test_token_embedding_scales_by_sqrt_d_model():
    torch.manual_seed(0)
    emb = tl.TokenEmbedding(11, D_MODEL)
    tokens = torch.tensor([[1, 2, 10], [0, 5, 5]])
    out = emb(tokens)
    assert out.shape == (2, 3, D_MODEL)
    torch.testing.assert_close(out, emb.embedding.weight[tokens] * math.sqrt(D_MODEL))
