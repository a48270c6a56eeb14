"""인코더 층(encoder layer)과 디코더 층(decoder layer), 그리고 그것을 N번 쌓은 Encoder / Decoder.

Add & Norm = 잔차 연결(residual connection) + 층 정규화(layer normalization).
    post-norm (논문, 기본값):  x = LayerNorm(x + Sublayer(x))
    pre-norm  (norm_first=True): x = x + Sublayer(LayerNorm(x))
이름과 뜻은 torch.nn.TransformerEncoderLayer / TransformerDecoderLayer와 같습니다.
모든 층은 텐서 하나를 돌려줍니다. 어텐션 지도는 attention_maps.record_attention 으로 꺼냅니다.

모양: x (B, T, d_model), memory(인코더 출력) (B, T_src, d_model).
마스크: bool, True = 참여(attend).
"""
from torch import nn

from .feed_forward import FeedForward
from .multi_head import MultiHeadAttention


def add_norm(x, sublayer, norm, dropout, norm_first):
    """서브층 하나를 잔차 연결로 감쌉니다. sublayer: (B, T, d_model) → (B, T, d_model)."""
    if norm_first:
        return x + dropout(sublayer(norm(x)))   # pre-norm
    return norm(x + dropout(sublayer(x)))       # post-norm (논문)


class EncoderLayer(nn.Module):
    """셀프 어텐션 → Add & Norm → FFN → Add & Norm."""

    def __init__(self, d_model, n_heads, d_ff, dropout_p=0.0, norm_first=False):
        super().__init__()
        self.self_attn = MultiHeadAttention(d_model, n_heads, dropout_p)
        self.ffn = FeedForward(d_model, d_ff, dropout_p)
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)
        self.dropout1 = nn.Dropout(dropout_p)
        self.dropout2 = nn.Dropout(dropout_p)
        self.norm_first = norm_first

    def forward(self, x, mask=None):
        """x (B, T, d_model) → (B, T, d_model)."""
        x = add_norm(x, lambda h: self.self_attn(h, h, h, mask)[0], self.norm1, self.dropout1, self.norm_first)
        return add_norm(x, self.ffn, self.norm2, self.dropout2, self.norm_first)


class DecoderLayer(nn.Module):
    """마스크드 셀프 어텐션 → Add & Norm → 크로스 어텐션(Q: 디코더, K·V: 인코더 출력) → Add & Norm → FFN → Add & Norm."""

    def __init__(self, d_model, n_heads, d_ff, dropout_p=0.0, norm_first=False):
        super().__init__()
        self.self_attn = MultiHeadAttention(d_model, n_heads, dropout_p)
        self.cross_attn = MultiHeadAttention(d_model, n_heads, dropout_p)
        self.ffn = FeedForward(d_model, d_ff, dropout_p)
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)
        self.norm3 = nn.LayerNorm(d_model)
        self.dropout1 = nn.Dropout(dropout_p)
        self.dropout2 = nn.Dropout(dropout_p)
        self.dropout3 = nn.Dropout(dropout_p)
        self.norm_first = norm_first

    def forward(self, x, memory, tgt_mask=None, memory_mask=None):
        """x (B, T, d_model), memory (B, T_src, d_model) → (B, T, d_model)."""
        x = add_norm(x, lambda h: self.self_attn(h, h, h, tgt_mask)[0], self.norm1, self.dropout1, self.norm_first)
        x = add_norm(x, lambda h: self.cross_attn(h, memory, memory, memory_mask)[0],   # K·V = 인코더 출력
                     self.norm2, self.dropout2, self.norm_first)
        return add_norm(x, self.ffn, self.norm3, self.dropout3, self.norm_first)


class Stack(nn.Module):
    """같은 층을 n_layers번 쌓습니다. pre-norm이면 마지막에 LayerNorm을 한 번 더 합니다(Encoder·Decoder 공통)."""

    layer_class = None

    def __init__(self, n_layers, d_model, n_heads, d_ff, dropout_p=0.0, norm_first=False):
        super().__init__()
        self.layers = nn.ModuleList(
            self.layer_class(d_model, n_heads, d_ff, dropout_p, norm_first) for _ in range(n_layers)
        )
        self.norm = nn.LayerNorm(d_model) if norm_first else nn.Identity()


class Encoder(Stack):
    """EncoderLayer를 n_layers번 쌓습니다."""

    layer_class = EncoderLayer

    def forward(self, x, mask=None):
        """x (B, T, d_model) → (B, T, d_model)."""
        for layer in self.layers:
            x = layer(x, mask)
        return self.norm(x)


class Decoder(Stack):
    """DecoderLayer를 n_layers번 쌓습니다. 모든 층이 같은 memory(인코더의 마지막 출력)를 봅니다."""

    layer_class = DecoderLayer

    def forward(self, x, memory, tgt_mask=None, memory_mask=None):
        """x (B, T, d_model), memory (B, T_src, d_model) → (B, T, d_model)."""
        for layer in self.layers:
            x = layer(x, memory, tgt_mask, memory_mask)
        return self.norm(x)
