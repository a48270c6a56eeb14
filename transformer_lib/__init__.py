"""transformer_lib — 배우는 사람이 읽을 수 있게 쓴 작은 트랜스포머(Transformer) 구현.

책의 장 순서대로 파일이 하나씩 있습니다:
    attention.py    스케일드 닷프로덕트 어텐션         masks.py        패딩·룩어헤드 마스크
    positional.py   위치 인코딩과 임베딩                multi_head.py   멀티헤드 어텐션
    feed_forward.py 위치별 피드포워드 신경망            layers.py       인코더·디코더 층(Add & Norm)
    model.py        인코더-디코더 트랜스포머 전체       training.py     워밍업 스케줄, 라벨 스무딩
    decoding.py     탐욕적 디코딩, 빔 서치, 단계별 보기  checkpoint.py   저장·불러오기(sha256 확인)
    attention_maps.py  어텐션 지도 기록(record_attention)
    tokenizer.py    작은 토크나이저와 어휘            vit.py          비전 트랜스포머(패치 임베딩, [CLS])
    exercises/      각 장 연습 문제의 채점기와 풀이 (`from transformer_lib import exercises`)
약속(contract):
    scaled_dot_product_attention(q, k, v, mask, dropout_p) → (out, weights)          (torch.nn.functional 처럼)
    MultiHeadAttention(...)(query, key, value, mask, need_weights=False) → (out, weights 또는 None)
                                                                                    (torch.nn.MultiheadAttention 처럼)
    그 위의 모든 것은 텐서 하나: EncoderLayer·DecoderLayer·Encoder·Decoder → x, Transformer.encode → memory,
    Transformer.decode·Transformer(src, tgt) → logits (B, T, V), VisionTransformer(images) → logits.
    어텐션 지도는 한 가지 방법으로: `with record_attention(model) as maps: model(src, tgt)` →
    maps.encoder / maps.decoder / maps.cross (층마다 (B, h, T_q, T_k), 블록 안의 마지막 forward 의 것).
그림·위젯 도구는 transformer_lib.viz, 장난감 번역 데이터·학습은 transformer_lib.toy 에 있습니다
(필요할 때만 불러오므로 `import transformer_lib`은 torch만 씁니다).
"""
from .attention import scaled_dot_product_attention
from .attention_maps import AttentionMaps, record_attention
from .checkpoint import CheckpointError, load_checkpoint, save_checkpoint
from .decoding import GreedySteps, beam_search, greedy_decode, greedy_steps, max_decode_len
from .feed_forward import FeedForward
from .layers import Decoder, DecoderLayer, Encoder, EncoderLayer
from .masks import causal_mask, combine_masks, padding_mask
from .model import Transformer, TransformerConfig
from .multi_head import MultiHeadAttention
from .positional import (
    LearnedPositionalEncoding,
    PositionalEncoding,
    TokenEmbedding,
    sinusoidal_positional_encoding,
)
from .tokenizer import Vocab
from .vit import (
    PatchEmbedding,
    VisionTransformer,
    ViTConfig,
    attention_rollout,
    patchify,
    sinusoidal_2d_positional_encoding,
    unpatchify,
)
from .training import LabelSmoothingLoss, NoamSchedule, noam_lr

__version__ = "0.1.0"

__all__ = [
    "scaled_dot_product_attention", "causal_mask", "padding_mask", "combine_masks",
    "sinusoidal_positional_encoding", "PositionalEncoding", "LearnedPositionalEncoding", "TokenEmbedding",
    "MultiHeadAttention", "FeedForward", "EncoderLayer", "DecoderLayer", "Encoder", "Decoder",
    "TransformerConfig", "Transformer", "AttentionMaps", "record_attention",
    "NoamSchedule", "noam_lr", "LabelSmoothingLoss", "greedy_decode", "beam_search", "greedy_steps", "GreedySteps",
    "max_decode_len",
    "save_checkpoint", "load_checkpoint", "CheckpointError", "Vocab",
    "patchify", "unpatchify", "PatchEmbedding", "sinusoidal_2d_positional_encoding", "ViTConfig", "VisionTransformer",
    "attention_rollout",
]
