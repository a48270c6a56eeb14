"""인코더 층(encoder layer)과 디코더 층(decoder layer), 그리고 그것을 N번 쌓은 Encoder / Decoder.

Add & Norm = 잔차 연결(residual connection) + 층 정규화(layer normalization).
    post-norm (논문, 기본값):  x = LayerNorm(x + Sublayer(x))
    pre-norm  (norm_first=True): x = x + Sublayer(LayerNorm(x))
이름과 뜻은 torch.nn.TransformerEncoderLayer / TransformerDecoderLayer와 같습니다.

모양: x (B, T, d_model), memory(인코더 출력) (B, T_src, d_model).
마스크: bool, True = 참여(attend).
"""
from torch import nn

from .feed_forward import FeedForward
from .multi_head import MultiHeadAttention


class EncoderLayer(nn.Module):
    """셀프 어텐션 → Add & Norm → FFN → Add & Norm."""

    def __init__(self, d_model, n_heads, d_ff, dropout=0.0, norm_first=False):
        super().__init__()
        self.self_attn = MultiHeadAttention(d_model, n_heads, dropout)
        self.ffn = FeedForward(d_model, d_ff, dropout)
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)
        self.dropout1 = nn.Dropout(dropout)
        self.dropout2 = nn.Dropout(dropout)
        self.norm_first = norm_first

    def forward(self, x, mask=None, need_weights=False):
        """x (B, T, d_model) → (x (B, T, d_model), weights (B, h, T, T) 또는 None)."""
        if self.norm_first:
            h = self.norm1(x)
            a, w = self.self_attn(h, h, h, mask, need_weights)
            x = x + self.dropout1(a)
            x = x + self.dropout2(self.ffn(self.norm2(x)))
        else:
            a, w = self.self_attn(x, x, x, mask, need_weights)
            x = self.norm1(x + self.dropout1(a))
            x = self.norm2(x + self.dropout2(self.ffn(x)))
        return x, w


class DecoderLayer(nn.Module):
    """마스크드 셀프 어텐션 → Add & Norm → 크로스 어텐션(Q: 디코더, K·V: 인코더 출력) → Add & Norm → FFN → Add & Norm."""

    def __init__(self, d_model, n_heads, d_ff, dropout=0.0, norm_first=False):
        super().__init__()
        self.self_attn = MultiHeadAttention(d_model, n_heads, dropout)
        self.cross_attn = MultiHeadAttention(d_model, n_heads, dropout)
        self.ffn = FeedForward(d_model, d_ff, dropout)
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)
        self.norm3 = nn.LayerNorm(d_model)
        self.dropout1 = nn.Dropout(dropout)
        self.dropout2 = nn.Dropout(dropout)
        self.dropout3 = nn.Dropout(dropout)
        self.norm_first = norm_first

    def forward(self, x, memory, tgt_mask=None, memory_mask=None, need_weights=False):
        """x (B, T, d_model), memory (B, T_src, d_model) → (x, (self_w (B,h,T,T), cross_w (B,h,T,T_src)) 또는 None)."""
        if self.norm_first:
            h = self.norm1(x)
            a, self_w = self.self_attn(h, h, h, tgt_mask, need_weights)
            x = x + self.dropout1(a)
            c, cross_w = self.cross_attn(self.norm2(x), memory, memory, memory_mask, need_weights)
            x = x + self.dropout2(c)
            x = x + self.dropout3(self.ffn(self.norm3(x)))
        else:
            a, self_w = self.self_attn(x, x, x, tgt_mask, need_weights)
            x = self.norm1(x + self.dropout1(a))
            c, cross_w = self.cross_attn(x, memory, memory, memory_mask, need_weights)
            x = self.norm2(x + self.dropout2(c))
            x = self.norm3(x + self.dropout3(self.ffn(x)))
        return x, ((self_w, cross_w) if need_weights else None)


class Encoder(nn.Module):
    """EncoderLayer를 n_layers번 쌓습니다. pre-norm이면 마지막에 LayerNorm을 한 번 더 합니다."""

    def __init__(self, n_layers, d_model, n_heads, d_ff, dropout=0.0, norm_first=False):
        super().__init__()
        self.layers = nn.ModuleList(
            EncoderLayer(d_model, n_heads, d_ff, dropout, norm_first) for _ in range(n_layers)
        )
        self.norm = nn.LayerNorm(d_model) if norm_first else nn.Identity()

    def forward(self, x, mask=None, need_weights=False):
        """→ (x (B, T, d_model), [층마다 (B, h, T, T)] 또는 None)."""
        weights = []
        for layer in self.layers:
            x, w = layer(x, mask, need_weights)
            weights.append(w)
        return self.norm(x), (weights if need_weights else None)


class Decoder(nn.Module):
    """DecoderLayer를 n_layers번 쌓습니다. 모든 층이 같은 memory(인코더의 마지막 출력)를 봅니다."""

    def __init__(self, n_layers, d_model, n_heads, d_ff, dropout=0.0, norm_first=False):
        super().__init__()
        self.layers = nn.ModuleList(
            DecoderLayer(d_model, n_heads, d_ff, dropout, norm_first) for _ in range(n_layers)
        )
        self.norm = nn.LayerNorm(d_model) if norm_first else nn.Identity()

    def forward(self, x, memory, tgt_mask=None, memory_mask=None, need_weights=False):
        """→ (x (B, T, d_model), ([셀프 어텐션 층별], [크로스 어텐션 층별]) 또는 None)."""
        self_ws, cross_ws = [], []
        for layer in self.layers:
            x, w = layer(x, memory, tgt_mask, memory_mask, need_weights)
            if need_weights:
                self_ws.append(w[0])
                cross_ws.append(w[1])
        return self.norm(x), ((self_ws, cross_ws) if need_weights else None)
