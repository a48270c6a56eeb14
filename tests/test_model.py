"""tl.Transformer 전체: 인과성(causality), 패딩 불변성, 어텐션 맵(bertviz 모양), 탐욕적 디코딩, 빔 서치."""
import itertools

import pytest
import torch

import transformer_lib as tl

PAD, BOS, EOS = 0, 1, 2
SRC_V, TGT_V, D_MODEL, N_HEADS, N_LAYERS = 13, 11, 16, 4, 2


def make_model(seed=0, **overrides):
    torch.manual_seed(seed)
    cfg = dict(src_vocab_size=SRC_V, tgt_vocab_size=TGT_V, d_model=D_MODEL, n_heads=N_HEADS, n_layers=N_LAYERS,
               d_ff=32, dropout=0.1, max_len=32)
    cfg.update(overrides)
    return tl.Transformer(tl.TransformerConfig(**cfg)).eval()


SRC = torch.tensor([[5, 6, 7, 8, 9], [10, 11, 4, 0, 0]])   # 두 번째 문장은 패딩 2개
TGT = torch.tensor([[1, 3, 4, 5, 6, 7], [1, 8, 9, 10, 0, 0]])
TOL = dict(rtol=1e-5, atol=1e-6)


def test_forward_shapes_and_encode_decode_consistency():
    model = make_model()
    logits = model(SRC, TGT)
    assert logits.shape == (2, 6, TGT_V)
    memory = model.encode(SRC)
    dec_logits = model.decode(TGT, memory, model.make_src_mask(SRC))
    torch.testing.assert_close(dec_logits, logits)
    assert memory.shape == (2, 5, D_MODEL)


def test_default_masks_from_pad_id():
    model = make_model()
    src_mask, tgt_mask = model.make_src_mask(SRC), model.make_tgt_mask(TGT)
    assert src_mask.shape == (2, 1, 1, 5) and tgt_mask.shape == (2, 1, 6, 6)
    assert torch.equal(src_mask[1, 0, 0], torch.tensor([True, True, True, False, False]))
    assert torch.equal(tgt_mask[1, 0], tl.causal_mask(6) & (TGT[1] != PAD))


# ---------------------------------------------------------------- 인과성: 미래 토큰은 과거 출력을 바꾸지 않음

@pytest.mark.parametrize("overrides", [{}, {"norm_first": True}, {"positional": "learned"}],
                         ids=["post_norm", "pre_norm", "learned_pos"])
@pytest.mark.parametrize("record", [False, True], ids=["fast_path", "weights_path"])
def test_changing_a_future_target_token_never_changes_earlier_outputs(overrides, record):
    model = make_model(**overrides)

    def logits_of(tgt):
        if not record:
            return model(SRC, tgt)
        with tl.record_attention(model):
            return model(SRC, tgt)

    base = logits_of(TGT)
    T = TGT.shape[1]
    for j in range(1, T):
        changed = TGT.clone()
        changed[:, j] = 3 + (changed[:, j] + 1) % (TGT_V - 3)  # 다른 (패딩 아닌) 토큰으로
        out = logits_of(changed)
        torch.testing.assert_close(out[:, :j], base[:, :j], rtol=0, atol=1e-6)
        assert not torch.allclose(out[:, j:], base[:, j:])  # j 이후는 실제로 달라져야 함(테스트가 비지 않도록)


# ---------------------------------------------------------------- 패딩 불변성

def test_appending_padding_to_src_does_not_change_outputs():
    model = make_model()
    src = torch.tensor([[5, 6, 7]])
    tgt = torch.tensor([[1, 3, 4, 5]])
    padded = torch.tensor([[5, 6, 7, 0, 0, 0]])
    torch.testing.assert_close(model(padded, tgt), model(src, tgt), **TOL)
    mem = model.encode(src)
    mem_padded = model.encode(padded)
    torch.testing.assert_close(mem_padded[:, :3], mem, **TOL)  # 실제 토큰 자리의 인코더 출력도 그대로


def test_batched_padded_equals_one_by_one():
    """짧은 문장에 패딩을 붙여 배치로 돌려도, 혼자 돌린 결과와 같아야 합니다."""
    model = make_model()
    batched = model(SRC, TGT)
    for b, (s_len, t_len) in enumerate([(5, 6), (3, 4)]):
        alone = model(SRC[b:b + 1, :s_len], TGT[b:b + 1, :t_len])
        torch.testing.assert_close(batched[b:b + 1, :t_len], alone, **TOL)


def test_dropout_only_in_training():
    model = make_model()
    torch.testing.assert_close(model(SRC, TGT), model(SRC, TGT), rtol=0, atol=0)
    model.train()
    assert not torch.allclose(model(SRC, TGT), model(SRC, TGT))


# ---------------------------------------------------------------- 설정(config)

def test_tied_embeddings_share_one_matrix():
    tied, untied = make_model(tie_embeddings=True), make_model()
    assert tied.to_logits.weight is tied.tgt_embed.embedding.weight
    n_params = lambda m: sum(p.numel() for p in m.parameters())  # noqa: E731  (공유 파라미터는 한 번만 셈)
    assert n_params(untied) - n_params(tied) == TGT_V * D_MODEL


# ---------------------------------------------------------------- 어텐션 맵 (bertviz 모양)

def test_attention_maps_shapes_and_masks():
    model = make_model()
    with tl.record_attention(model) as maps:
        logits = model(SRC, TGT)
    assert isinstance(maps, tl.AttentionMaps) and isinstance(logits, torch.Tensor)
    torch.testing.assert_close(logits, model(SRC, TGT), **TOL)  # 맵을 모아도(가중치 경로) 출력은 같음
    B, S, T = 2, SRC.shape[1], TGT.shape[1]
    assert [m.shape for m in maps.encoder] == [(B, N_HEADS, S, S)] * N_LAYERS
    assert [m.shape for m in maps.decoder] == [(B, N_HEADS, T, T)] * N_LAYERS
    assert [m.shape for m in maps.cross] == [(B, N_HEADS, T, S)] * N_LAYERS
    for m in maps.encoder + maps.decoder + maps.cross:
        torch.testing.assert_close(m.sum(-1), torch.ones(m.shape[:-1]), **TOL)
    for m in maps.decoder:
        assert (m.triu(1) == 0).all()           # 미래를 보지 않음
        assert (m[1, :, :, 4:] == 0).all()      # 번역문 패딩
    for m in maps.encoder + maps.cross:
        assert (m[1, :, :, 3:] == 0).all()      # 원문 패딩


def test_attention_maps_feed_bertviz_head_view():
    bertviz = pytest.importorskip("bertviz")
    model = make_model()
    src, tgt = SRC[:1], TGT[:1]  # bertviz는 배치 크기 1을 받습니다
    with tl.record_attention(model) as maps:
        model(src, tgt)
    html = bertviz.head_view(encoder_attention=maps.encoder, decoder_attention=maps.decoder,
                             cross_attention=maps.cross, encoder_tokens=[f"s{i}" for i in range(5)],
                             decoder_tokens=[f"t{i}" for i in range(6)], html_action="return")
    assert "s4" in html.data and "t5" in html.data


# ---------------------------------------------------------------- 탐욕적 디코딩

def reference_greedy(model, src, max_len, eos):
    """매 단계 전체 forward를 다시 돌리는 가장 단순한 탐욕적 디코딩 (비교 기준)."""
    ys = torch.tensor([[BOS]])
    for _ in range(max_len - 1):
        nxt = model(src, ys)[0, -1].argmax().item()
        ys = torch.cat([ys, torch.tensor([[nxt]])], dim=1)
        if nxt == eos:
            break
    return ys[0].tolist()


def test_greedy_decode_matches_step_by_step_argmax_and_pads_after_eos():
    def first_predictions(model):
        return [model(SRC[b:b + 1], torch.tensor([[BOS]]))[0, -1].argmax().item() for b in range(2)]

    # 두 문장의 첫 예측이 다른 (학습 안 된) 모델을 시드 순서대로 고릅니다: 결정적(deterministic)입니다.
    model = next(m for m in map(make_model, range(100)) if len(set(first_predictions(m))) == 2)
    eos = first_predictions(model)[0]  # 첫 문장은 한 걸음 만에 끝나고, 둘째 문장은 계속되도록 EOS를 고름
    max_len = 7
    ys = tl.greedy_decode(model, SRC, bos_id=BOS, eos_id=eos, max_len=max_len)
    assert ys.dtype == torch.long and ys.shape[0] == 2 and ys.shape[1] <= max_len
    assert (ys[:, 0] == BOS).all()
    for b in range(2):
        ref = reference_greedy(model, SRC[b:b + 1, : (5 if b == 0 else 3)], max_len, eos)
        assert ys[b, :len(ref)].tolist() == ref
        assert (ys[b, len(ref):] == PAD).all()  # EOS 뒤는 패딩
    assert ys[0, :2].tolist() == [BOS, eos] and ys.shape[1] > 2  # 첫 문장 뒤에 패딩이 실제로 채워짐


def test_greedy_decode_stops_at_max_len():
    model = make_model()
    ys = tl.greedy_decode(model, SRC, bos_id=BOS, eos_id=TGT_V + 5, max_len=4)  # 나올 수 없는 EOS
    assert ys.shape == (2, 4)


def test_greedy_steps_shows_each_step_of_greedy_decode():
    """단계별 보기: 만든 토큰은 greedy_decode 와 같고, 단계 i 의 1등 후보 = i+1 번째 토큰, 크로스 어텐션 행 i 는
    그 단계에서 디코더를 처음부터 다시 돌려 본 마지막 행과 같습니다(룩어헤드 마스크 덕분)."""
    model = make_model()
    src = SRC[:1]
    ys = tl.greedy_decode(model, src, BOS, EOS, max_len=6)[0]
    steps = tl.greedy_steps(model, src, BOS, EOS, max_len=6)
    assert torch.equal(steps.tokens, ys)
    T = len(steps.decoder_inputs)
    assert steps.top_ids.shape == steps.top_probs.shape == (T, 5)
    assert steps.top_ids[: len(ys) - 1, 0].tolist() == ys[1:].tolist()   # 1등 후보 = 다음에 만든 토큰
    assert steps.finished == (ys[-1].item() == EOS)
    for i in range(T):
        with tl.record_attention(model) as maps:
            model(src, steps.decoder_inputs[None, : i + 1])
        torch.testing.assert_close(maps.cross[-1][0, :, -1], steps.maps.cross[-1][0, :, i], **TOL)
    assert tl.max_decode_len(5, 64) == 18 and tl.max_decode_len(40, 64) == 64


# ---------------------------------------------------------------- 빔 서치

def test_beam_size_one_equals_greedy():
    model = make_model()
    for src in ([[5, 6, 7, 8, 9]], [[10, 11, 4]], [[12, 3]]):
        src = torch.tensor(src)
        for eos in (EOS, model(src, torch.tensor([[BOS]]))[0, -1].argmax().item()):
            greedy = tl.greedy_decode(model, src, BOS, eos, max_len=6)
            beam = tl.beam_search(model, src, BOS, eos, max_len=6, beam_size=1)
            assert beam.tolist() == greedy.tolist()


def sequence_log_prob(model, src, seqs):
    """교사 강요(teacher forcing)로 각 후보 문장(BOS 포함)의 log p를 한 번에 계산."""
    logits = model(src.expand(len(seqs), -1), seqs[:, :-1])         # (N, n, V)
    logp = logits.log_softmax(-1).gather(-1, seqs[:, 1:, None])      # (N, n, 1)
    return logp.sum(dim=(1, 2))


@pytest.mark.parametrize("lp,expected_len", [(0.0, 1), (0.6, 1), (3.0, 3)])
def test_wide_beam_finds_the_exhaustive_best(lp, expected_len):
    """빔이 모든 후보를 담을 만큼 넓으면, 빔 서치 = 모든 문장을 다 훑는 완전 탐색.

    길이 벌점(length penalty)이 크면(3.0) 이 모델에서는 더 긴 문장이 이깁니다(expected_len: 만든 토큰 수).
    """
    model = make_model(tgt_vocab_size=5)
    src, max_len = torch.tensor([[5, 6, 7]]), 4
    eos = model(src, torch.tensor([[BOS]]))[0, -1].topk(2).indices[1].item()  # 첫 걸음 2등 토큰을 EOS로
    best_score, best_seq = -float("inf"), None
    for n in range(1, max_len):  # 만든 토큰 n개 (마지막이 EOS, 그 앞에는 EOS 없음)
        prefixes = [p for p in itertools.product(range(5), repeat=n - 1) if eos not in p]
        seqs = torch.tensor([[BOS, *p, eos] for p in prefixes])
        scores = sequence_log_prob(model, src, seqs) / ((5 + n) / 6) ** lp
        i = scores.argmax()
        if scores[i] > best_score:
            best_score, best_seq = scores[i].item(), seqs[i].tolist()
    beam = tl.beam_search(model, src, BOS, eos, max_len=max_len, beam_size=5 ** max_len, length_penalty=lp)
    assert beam.shape[0] == 1 and beam[0, 0] == BOS and beam[0, -1] == eos
    n = beam.shape[1] - 1
    beam_score = (sequence_log_prob(model, src, beam) / ((5 + n) / 6) ** lp).item()
    assert beam_score == pytest.approx(best_score, abs=1e-5)
    assert beam[0].tolist() == best_seq
    assert n == expected_len


@pytest.mark.parametrize("lp", [0.0, 1.0, 5.0])
def test_beam_search_stops_each_hypothesis_at_its_first_eos(lp):
    """EOS가 아주 그럴듯한 모델에서도 결과에는 EOS가 마지막에 한 번만 있습니다 (EOS 뒤로 이어 가지 않음)."""
    model = make_model()
    with torch.no_grad():
        model.to_logits.bias[EOS] += 4.0
    for src in ([[5, 6, 7, 8, 9]], [[10, 11, 4]]):
        out = tl.beam_search(model, torch.tensor(src), BOS, EOS, max_len=6, beam_size=3, length_penalty=lp)[0]
        assert out[0] == BOS and out[-1] == EOS
        assert (out[:-1] != EOS).all()


def test_beam_search_wants_one_sentence():
    with pytest.raises(ValueError, match="B=1"):
        tl.beam_search(make_model(), SRC, BOS, EOS, max_len=5)


@pytest.mark.parametrize("decode", ["greedy", "beam"])
def test_decoding_runs_without_dropout_and_restores_training_mode(decode):
    model = make_model(dropout=0.5)  # 드롭아웃이 켜져 있으면 같은 입력에도 결과가 흔들린다
    model.train()
    src = torch.tensor([[5, 6, 7, 8]])

    def run():
        if decode == "greedy":
            return tl.greedy_decode(model, src, 1, 2, 8)
        return tl.beam_search(model, src, 1, 2, 8, beam_size=3)

    first = run()
    assert all(torch.equal(first, run()) for _ in range(5))
    assert model.training, "디코딩 뒤에는 원래 모드(train)로 돌아와야 한다"
    model.eval()
    assert torch.equal(first, run())
    assert not model.training
