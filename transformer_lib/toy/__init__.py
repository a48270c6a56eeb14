"""장난감 한국어→영어 번역기: 문법 데이터(grammar), 텐서로 바꾸기(data), 학습(train), 번역·평가(evaluation),
여러 장치(distributed), 어텐션 탐색기(explorer).

    from transformer_lib.toy import grammar          # 문장 쌍 만들기 (순수 파이썬)
    from transformer_lib.toy import load_pretrained  # 책과 함께 배포된 학습된 모델
    model, src_vocab, tgt_vocab, extra = load_pretrained()

장(notebooks/08·09·10)은 `from transformer_lib.toy import train as toy` 하나로 학습·데이터·평가 함수를 모두 씁니다.
무거운 모듈(torch, plotly, ipywidgets)은 필요할 때만 불러옵니다.
"""


def load_pretrained():
    """배포된 체크포인트(transformer_lib/checkpoints/ko_en.safetensors) → (model, src_vocab, tgt_vocab, extra)."""
    from .train import load_pretrained as _load

    return _load()
