"""장난감 한국어→영어 번역기: 문법 데이터, 나누기의 성질, 배포 체크포인트, 어텐션 탐색기."""
import hashlib
import shutil

import pytest

from transformer_lib.toy import grammar as g


@pytest.fixture(scope="module")
def data():
    return g.make_splits()


# ------------------------------------------------------------------------------------------- 문법
def test_grammar_is_deterministic(data):
    again = g.make_splits()
    assert again.train == data.train
    assert again.test_unseen == data.test_unseen and again.test_long == data.test_long
    assert again.heldout_subject_verb == data.heldout_subject_verb
    other = g.make_splits(seed=g.SEED + 1)
    assert other.train[:50] != data.train[:50]


def test_default_data_is_the_one_the_checkpoint_was_trained_on(data):
    # 어휘 표의 순서나 뽑는 순서가 바뀌면 이 지문이 바뀝니다: 배포한 체크포인트와 장의 숫자가 이 데이터에 묶여 있습니다.
    digest = hashlib.sha256()
    for split in (data.train, data.valid, data.test_unseen, data.test_long):
        for e in split:
            digest.update(f"{e.ko}\t{e.en}\n".encode())
    assert digest.hexdigest()[:16] == "8317047efc5e28af"


@pytest.mark.parametrize("word,p,expected", [
    ("사과", ("을", "를"), "사과를"), ("책", ("을", "를"), "책을"), ("소년", ("은", "는"), "소년은"),
    ("고양이", ("은", "는"), "고양이는"), ("친구", ("과", "와"), "친구와"), ("선생님", ("과", "와"), "선생님과"),
    ("곰", ("이", "가"), "곰이"), ("개", ("이", "가"), "개가"),
])
def test_particles_follow_batchim(word, p, expected):
    assert g.particle(word, *p) == expected


def test_agreement_and_case():
    N, V = g.NOUN_BY_KO, g.VERB_BY_KO
    assert g.render(N["나"], V["달리다"], "present").en == "I run"
    assert g.render(N["그"], V["달리다"], "present").en == "he runs"
    assert g.render(N["아이들"], V["공부하다"], "present").en == "the children study"
    assert g.render(N["소녀"], V["공부하다"], "present").en == "the girl studies"
    assert g.render(N["나"], V["먹다"], "progressive", obj=N["사과"]).en == "I am eating the apple"
    assert g.render(N["그들"], V["먹다"], "progressive", obj=N["사과"]).en == "they are eating the apple"
    assert g.render(N["그녀"], V["가지다"], "present", obj=N["책"]).en == "she has the book"
    ex = g.render(N["나"], V["돕다"], "past", obj=N["그"], with_=N["그들"], ga=True)
    assert ex.ko == "내가 그들과 함께 그를 도왔다" and ex.en == "I helped him with them"
    ex = g.render(N["소년"], V["먹다"], "future", obj=N["사과"], obj_adj=g.ADJ_BY_KO["빨간"],
                  place=g.PLACES[0], time=g.TIMES[2])
    assert ex.ko == "내일 소년은 공원에서 빨간 사과를 먹을 것이다"
    assert ex.en == "the boy will eat the red apple in the park tomorrow"


def test_same_korean_always_same_english(data):
    seen = {}
    for e in data.train + data.valid + data.test_unseen + data.test_long:
        assert seen.setdefault(e.ko, e.en) == e.en


# ------------------------------------------------------------------------------------------- 나누기
def test_heldout_fraction_at_least_30_percent(data):
    assert len(data.heldout_subject_verb) >= 0.3 * len(g.all_subject_verb_pairs())
    assert len(data.heldout_adj_noun) >= 0.3 * len(g.all_adj_noun_pairs())


def test_heldout_pairings_never_in_train_but_their_words_are(data):
    held = set(data.heldout_pairs())
    assert len(held) == len(data.heldout_subject_verb) + len(data.heldout_adj_noun)
    train_pairs = set().union(*(e.pairs for e in data.train))
    assert not (held & train_pairs), "보류한 짝이 학습 데이터에 나왔습니다"
    for e in data.test_unseen:
        assert e.pairs & held, f"보류한 짝이 없는 시험 문장: {e.ko}"
    subject_verb = [p for p in train_pairs if p.kind is g.PairKind.SUBJECT_VERB]
    adj_noun = [p for p in train_pairs if p.kind is g.PairKind.ADJ_NOUN]
    train_subjects, train_verbs = {p.first for p in subject_verb}, {p.second for p in subject_verb}
    train_adjs, train_adj_nouns = {p.first for p in adj_noun}, {p.second for p in adj_noun}
    for s, v in data.heldout_subject_verb:
        assert s in train_subjects and v in train_verbs
    for a, n in data.heldout_adj_noun:
        assert a in train_adjs and n in train_adj_nouns
    # 시험 문장의 모든 토큰은 학습 어휘에 있습니다
    for split in (data.test_unseen, data.test_long, data.valid):
        for side in ("ko", "en"):
            assert g.token_set(split, side) <= g.token_set(data.train, side)


def test_long_split_is_longer_than_all_training(data):
    max_ko = max(len(e.ko.split()) for e in data.train)
    max_en = max(len(e.en.split()) for e in data.train)
    assert (max_ko, max_en) == data.max_train_len
    assert all(len(e.ko.split()) > max_ko and len(e.en.split()) > max_en for e in data.test_long)
    assert not {e.ko for e in data.train} & {e.ko for e in data.test_unseen + data.test_long}


# ------------------------------------------------------------------------------------------- 텐서·모델·명령줄
def test_encode_examples_pads_right_and_wraps_targets(data):
    from transformer_lib.toy import train as T

    by_length = sorted(data.train[:50], key=lambda e: len(e.ko.split()))
    short, long_ = by_length[0], by_length[-1]
    sv, tv = T.build_vocabs(data.train)
    src, tgt = T.encode_examples([short, long_], sv, tv)
    n_short, n_long = len(sv.encode(short.ko)), len(sv.encode(long_.ko))
    assert src.shape == (2, n_long) and n_short < n_long
    assert src[0, :n_short].tolist() == sv.encode(short.ko) and set(src[0, n_short:].tolist()) == {sv.pad_id}
    assert tgt[1, 0] == tv.bos_id and tv.decode(tgt[1].tolist()) == long_.en
    assert T.trim(src[:1]).shape == (1, n_short)                        # 모두 패딩인 오른쪽 열은 잘라 냄


def test_make_model_takes_the_model_fields_of_the_train_config(data):
    from dataclasses import fields

    import transformer_lib as tl
    from transformer_lib.toy import train as T

    shared = {f.name for f in fields(T.TrainConfig)} & {f.name for f in fields(tl.TransformerConfig)}
    # 이름이 어긋나면(예: 한쪽만 dropout_p) 그 값이 조용히 기본값이 되므로, 같이 넘어가는 항목을 못 박아 둡니다.
    assert shared == {"d_model", "n_heads", "n_layers", "d_ff", "dropout", "max_len"}
    cfg = T.TrainConfig(d_model=48, n_heads=3, n_layers=1, d_ff=40, dropout=0.2, max_len=33)
    sv, tv = T.build_vocabs(data.train[:200])
    model = T.make_model(sv, tv, cfg, positional="learned")
    assert all(getattr(model.config, name) == getattr(cfg, name) for name in shared)
    assert (model.config.src_vocab_size, model.config.tgt_vocab_size) == (len(sv), len(tv))
    assert model.config.positional == "learned"


def test_command_line_has_an_option_for_every_config_field(tmp_path, capsys):
    from dataclasses import fields

    from transformer_lib.toy import train as T

    with pytest.raises(SystemExit):
        T.main(["--help"])
    help_text = capsys.readouterr().out
    assert all("--" + f.name.replace("_", "-") in help_text for f in fields(T.TrainConfig))
    out = tmp_path / "tiny.safetensors"
    model, info = T.main(["--quick", "--steps", "3", "--d-model", "16", "--n-heads", "2", "--d-ff", "24", "--no-amp",
                          "--no-progress", "--out", str(out)])
    assert (model.config.d_model, model.config.n_heads, model.config.d_ff) == (16, 2, 24) and info["steps"] == 3
    *_, extra = T.load(out)
    assert extra["train_config"] == dict(vars(T.TrainConfig(**T.QUICK)), steps=3, d_model=16, n_heads=2, d_ff=24,
                                         amp=False)


# ------------------------------------------------------------------------------------------- 체크포인트
@pytest.fixture(scope="module")
def pretrained():
    from transformer_lib.toy.train import load_pretrained
    return load_pretrained()


def test_checkpoint_is_small_and_sha_checked(tmp_path):
    import transformer_lib as tl
    from transformer_lib.toy import train as T

    assert T.CHECKPOINT.suffix == ".safetensors" and T.CHECKPOINT.stat().st_size < 5_000_000
    # 체크섬은 파일 안(safetensors 메타데이터) 하나뿐: 옆 파일(.sha256)이나 이전 형식(.pt)이 남아 있지 않음
    assert sorted(p.name for p in T.CHECKPOINT.parent.iterdir() if p.name != "__pycache__") == [T.CHECKPOINT.name]
    bad = tmp_path / "ko_en.safetensors"
    shutil.copy(T.CHECKPOINT, bad)
    raw = bytearray(bad.read_bytes())
    raw[len(raw) // 2] ^= 0xFF                  # 가중치 한가운데의 한 바이트
    bad.write_bytes(bytes(raw))
    with pytest.raises(tl.CheckpointError, match="sha256"):
        T.load(bad)


def test_pretrained_exact_match_on_unseen_combinations(pretrained, data):
    from transformer_lib.toy.train import evaluate

    model, sv, tv, extra = pretrained
    r = evaluate(model, sv, tv, data.test_unseen)
    assert r["n"] == 1000
    assert r["exact_match"] >= 0.99, r["errors"][:5]
    assert r["bleu"] >= 95
    assert extra["info"]["test_unseen"]["exact_match"] == pytest.approx(r["exact_match"])


# ------------------------------------------------------------------------------------------- 탐색기
@pytest.fixture(scope="module")
def explorer(pretrained):
    from transformer_lib.toy.explorer import Explorer

    model, sv, tv, extra = pretrained
    return Explorer(model, sv, tv, max_train_tokens=extra["info"]["max_train_tokens"])


@pytest.mark.parametrize("text", [
    "", "   ", None, "hello world", "1234 !!", "😀", "안녕하세요 반갑습니다",
    "소년은 사과를 먹는다 " * 10, "x" * 5000, 42, "ㅋㅋㅋ", "<script>alert(1)</script>",
])
def test_explorer_bad_input_gives_friendly_message(explorer, text):
    a = explorer.analyze(text)
    assert a.level in ("warning", "error")
    assert any("가" <= ch <= "힣" for ch in a.message), a.message   # 한국어 안내
    assert "Traceback" not in a.message
    html = explorer.update(text, "cross", 0, 0)
    assert isinstance(html, str) and html and "<script>" not in html


def test_explorer_translates_and_maps_have_right_shapes(explorer):
    a = explorer.analyze("소년은  공원에서\n빨간 사과를 먹는다.")   # 공백·줄바꿈·마침표는 정리
    assert a.level == "ok" and a.translation == "the boy eats the red apple in the park"
    S, T = len(a.src_tokens), len(a.outputs)
    assert a.maps["encoder"].shape[-2:] == (S, S)
    assert a.maps["cross"].shape[-2:] == (T, S)
    assert a.maps["decoder"].shape[-2:] == (T, T)
    for kind in ("encoder", "decoder", "cross"):
        for layer in range(explorer.n_layers):
            for head in list(range(explorer.n_heads)) + ["mean"]:
                w, rows, cols = explorer.attention(a, kind, layer, head)
                assert w.shape == (len(rows), len(cols))
                assert abs(float(w.sum(-1).mean()) - 1) < 1e-4
    with pytest.raises(ValueError, match="layer"):
        explorer.attention(a, "cross", explorer.n_layers, 0)
    with pytest.raises(ValueError, match="head"):
        explorer.attention(a, "cross", 0, explorer.n_heads)
    unk = explorer.analyze("소년은 사과가 먹는다")   # "사과가"는 모르는 형태 → 경고하고 번역은 함
    assert unk.level == "warning" and "사과가" in unk.message and unk.translation


def test_explorer_widget_never_raises(explorer, monkeypatch):
    monkeypatch.delenv("TRANSFORMER_BOOK_BUILD", raising=False)   # 책 빌드에서는 위젯 대신 사이트용 자리(tests/test_live.py)
    ui = explorer.widget()
    c = ui.controls
    for text in ["", "hello", "소년은 사과를 먹는다", "가" * 300]:
        c["text"].value = text
        for kind in ("encoder", "decoder", "cross"):
            c["kind"].value = kind
            c["head"].value = "mean"
            # refresh()는 그림 오류를 안내 문구로 바꾸므로, 그 문구가 나오지 않는지 직접 확인합니다
            assert "그리지 못했습니다" not in c["heatmap"].value, c["heatmap"].value
            assert c["message"].value
    c["text"].value = "그녀는 책을 읽었다"
    assert "read" in c["message"].value and "<table" in c["heatmap"].value


def test_static_figure_has_four_independent_menus(explorer):
    from transformer_lib.toy.explorer import attention_figure

    fig = attention_figure(["소년은 사과를 먹는다", "그녀는 어제 도서관에서 책을 읽었다"], explorer)
    assert len(fig.layout.updatemenus) == 4
    assert len(fig.data) == 3 * explorer.n_layers * explorer.n_heads
    assert len(fig.layout.updatemenus[0].buttons) == 2
