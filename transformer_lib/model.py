"""인코더-디코더 트랜스포머(Transformer) 전체.

    src 토큰 → 임베딩×√d_model + 위치 인코딩 → Encoder → memory
    tgt 토큰 → 임베딩×√d_model + 위치 인코딩 → Decoder(memory) → Linear → 로짓(logits) → (softmax → 확률)

모양: src (B, S), tgt (B, T), memory (B, S, d_model), logits (B, T, V_tgt).
마스크: bool, True = 참여(attend). 주지 않으면 pad_id로 만듭니다.
"""
from dataclasses import dataclass

from torch import nn

from .attention_maps import AttentionMaps  # noqa: F401  (예전처럼 transformer_lib.model.AttentionMaps 로도)
from .layers import Decoder, Encoder
from .masks import causal_mask, combine_masks, padding_mask
from .positional import (LearnedPositionalEncoding, NoPositionalEncoding, PositionalEncoding, RotaryEmbedding,
                         TokenEmbedding, alibi_mask, alibi_slopes)

POSITIONAL = ("sinusoidal", "learned", "rotary", "alibi")


@dataclass
class TransformerConfig:
    src_vocab_size: int                    # 원문(source) 어휘 크기
    tgt_vocab_size: int                    # 번역문(target) 어휘 크기
    d_model: int = 512                     # 모든 층의 벡터 길이
    n_heads: int = 8                       # 헤드 수 h (d_k = d_model / h)
    n_layers: int = 6                      # 인코더·디코더 층 수 N
    d_ff: int = 2048                       # FFN 가운데 층 크기
    dropout: float = 0.1                   # 드롭아웃 확률 P_drop
    max_len: int = 5000                    # 위치 인코딩 표의 최대 길이
    pad_id: int = 0                        # 패딩 토큰 번호
    norm_first: bool = False               # False = 논문의 post-norm, True = pre-norm
    tie_embeddings: bool = False           # 출력 층과 tgt 임베딩이 가중치를 공유할지
    positional: str = "sinusoidal"         # "sinusoidal"(논문), "learned", "rotary", "alibi" (10장의 비교용)


class Transformer(nn.Module):
    def __init__(self, config: TransformerConfig):
        super().__init__()
        c = self.config = config
        if c.positional not in POSITIONAL:
            raise ValueError(f"positional은 {', '.join(POSITIONAL)} 중 하나여야 합니다; 받은 값: {c.positional!r}")
        # 로터리와 ALiBi는 임베딩에 위치를 더하지 않고 셀프 어텐션 안에서 상대 위치를 씁니다.
        Pos = {"sinusoidal": PositionalEncoding, "learned": LearnedPositionalEncoding}.get(c.positional,
                                                                                         NoPositionalEncoding)
        self.src_embed = TokenEmbedding(c.src_vocab_size, c.d_model)
        self.tgt_embed = TokenEmbedding(c.tgt_vocab_size, c.d_model)
        self.src_pos = Pos(c.d_model, c.max_len, c.dropout)
        self.tgt_pos = Pos(c.d_model, c.max_len, c.dropout)
        self.encoder = Encoder(c.n_layers, c.d_model, c.n_heads, c.d_ff, c.dropout, c.norm_first)
        self.decoder = Decoder(c.n_layers, c.d_model, c.n_heads, c.d_ff, c.dropout, c.norm_first)
        self.to_logits = nn.Linear(c.d_model, c.tgt_vocab_size)  # 마지막 Linear: d_model → 어휘 크기
        for p in self.parameters():
            if p.dim() > 1:
                nn.init.xavier_uniform_(p)
        if c.tie_embeddings:
            self.to_logits.weight = self.tgt_embed.embedding.weight
        if c.positional == "rotary":             # 모든 셀프 어텐션이 같은 회전 표를 씁니다(학습하는 값 없음)
            rotary = RotaryEmbedding(c.d_model // c.n_heads, c.max_len)
            for layer in [*self.encoder.layers, *self.decoder.layers]:
                layer.self_attn.rotary = rotary
        if c.positional == "alibi":              # 헤드별 기울기(학습하지 않고, 체크포인트에도 저장하지 않음)
            self.register_buffer("alibi_slopes", alibi_slopes(c.n_heads), persistent=False)

    def make_src_mask(self, src):
        """(B, S) → (B, 1, 1, S): 패딩이 아닌 원문 토큰만 볼 수 있습니다."""
        return padding_mask(src, self.config.pad_id)

    def make_tgt_mask(self, tgt):
        """(B, T) → (B, 1, T, T): 패딩이 아니고 자기보다 앞(또는 자기)인 토큰만 볼 수 있습니다."""
        return combine_masks(padding_mask(tgt, self.config.pad_id), causal_mask(tgt.shape[1], tgt.device))

    def encode(self, src, src_mask=None):
        """src (B, S) → memory (B, S, d_model)."""
        if src_mask is None:
            src_mask = self.make_src_mask(src)
        x = self.src_pos(self.src_embed(src))  # (B, S, d_model)
        if self.config.positional == "alibi":  # 셀프 어텐션 마스크에만 거리 편향을 얹습니다 → (B, h, S, S)
            src_mask = alibi_mask(src_mask, self.alibi_slopes, src.shape[1], src.shape[1])
        return self.encoder(x, src_mask)

    def decode(self, tgt, memory, src_mask=None, tgt_mask=None):
        """tgt (B, T), memory (B, S, d_model) → logits (B, T, V).

        src_mask는 크로스 어텐션에서 원문의 패딩을 가리는 데 쓰입니다 (B, 1, 1, S).
        """
        y = self.tgt_pos(self.tgt_embed(tgt))  # (B, T, d_model)  (먼저 tgt 모양을 확인)
        if tgt_mask is None:
            tgt_mask = self.make_tgt_mask(tgt)
        if self.config.positional == "alibi":  # → (B, h, T, T). 크로스 어텐션(src_mask)에는 얹지 않습니다.
            tgt_mask = alibi_mask(tgt_mask, self.alibi_slopes, tgt.shape[1], tgt.shape[1])
        y = self.decoder(y, memory, tgt_mask, src_mask)  # (B, T, d_model)
        return self.to_logits(y)                         # (B, T, V)

    def forward(self, src, tgt, src_mask=None, tgt_mask=None):
        """src (B, S), tgt (B, T) → logits (B, T, V). 어텐션 지도는 `with tl.record_attention(model) as maps:`."""
        if src.dim() != 2 or tgt.dim() != 2 or src.shape[0] != tgt.shape[0]:
            raise ValueError(
                f"src (B, S)와 tgt (B, T)는 배치 크기가 같은 2차원 텐서여야 합니다; "
                f"받은 모양: src {tuple(src.shape)}, tgt {tuple(tgt.shape)}"
            )
        if src_mask is None:
            src_mask = self.make_src_mask(src)
        memory = self.encode(src, src_mask)                  # (B, S, d_model)
        return self.decode(tgt, memory, src_mask, tgt_mask)  # (B, T, V)
