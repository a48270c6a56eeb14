"""연습 문제 4–7장: 위치 인코딩, 마스킹, 인코더 블록, 디코더.

불러오면 문제가 ``transformer_lib.exercises.EXERCISES``에 등록됩니다 (채점의 틀과 도우미는 ``__init__.py``).
풀이 문자열은 ``reference()``가 torch·math·nn·F를 넣어 실행합니다.
"""
import torch
import torch.nn.functional as F
from torch import nn

from . import _call, _exercise, _gen, _judge_number, _judge_shapes, _number, _one_index, _tensor_like

# ───────────────────────────── 4장: 위치 인코딩 ─────────────────────────────

@_exercise("04.1", "코드", "pe_column", """
def pe_column(j, max_len, d_model):
    pos = torch.arange(max_len, dtype=torch.float64)
    i = j // 2                                          # 열 2i는 sin, 열 2i+1은 cos (같은 주파수)
    angle = pos / 10000 ** (2 * i / d_model)
    return torch.sin(angle) if j % 2 == 0 else torch.cos(angle)
""")
def _g041(f):
    from ..positional import sinusoidal_positional_encoding
    pe = sinusoidal_positional_encoding(40, 16).double()
    for j in (0, 1, 6, 7, 15):
        got = _call(f, j, 40, 16)
        if not isinstance(got, torch.Tensor) or got.shape != (40,):
            return "결과는 위치마다 값 하나인 (max_len,) 모양의 열이어야 합니다."
        got = got.double()
        if torch.allclose(got, pe[:, j], atol=1e-5):
            continue
        if j % 2 == 1 and torch.allclose(got, pe[:, j - 1], atol=1e-5):
            return f"열 {j}(홀수)에 sin을 썼습니다. 짝수 열과 홀수 열에 각각 무엇을 쓰나요?"
        if j % 2 == 0 and j + 1 < 16 and torch.allclose(got, pe[:, j + 1], atol=1e-5):
            return f"열 {j}(짝수)에 cos을 썼습니다. 짝수 열과 홀수 열에 각각 무엇을 쓰나요?"
        return f"열 {j}의 값이 다릅니다. 홀수 열과 그 앞의 짝수 열은 같은 차원 쌍 i(같은 파장)를 씁니다. 지수 2i/d_model의 i가 맞는지 보세요."
    return None


@_exercise("04.2", "예측", "prediction", """
prediction = 6     # M_3 M_3 PE(pos) = M_3 PE(pos+3) = PE(pos+6): 회전각이 더해진다
""", "$M_k$는 차원 쌍마다 각도 $k\\omega_i$만큼 돌리는 회전이라, 두 번 돌리면 각도가 더해집니다: $M_a M_b = M_{a+b}$.")
def _g042(prediction):
    return _judge_number(_number(prediction), 6, [
        (9, "칸 수가 곱해지지 않습니다. M_3을 한 번 곱하면 3칸, 그 결과에 또 곱하면?"),
    ], "M_3은 모든 위치를 3칸 옮깁니다. 그것을 두 번 하면 모두 몇 칸일까요?")


@_exercise("04.3", "예측", "prediction", """
prediction = 64 / 2    # 차원 쌍마다 sin² + cos² = 1, 쌍이 d_model/2개
""", "어느 위치든 길이가 같으므로, 위치 인코딩을 더해도 어떤 위치가 더 '세게' 들어가지 않습니다.")
def _g043(prediction):
    return _judge_number(_number(prediction), 32, [
        (64, "성분 하나하나가 1이 아닙니다. 한 쌍(sin, cos)의 제곱합을 먼저 구해 보세요."),
        (1, "PE 벡터는 길이 1로 정규화되어 있지 않습니다. 쌍이 몇 개인지 세어 보세요."),
    ], "위치마다 다를 것 같나요? sin²θ + cos²θ를 떠올려 보세요.", rel=1e-3)


# ───────────────────────────── 5장: 마스킹 ─────────────────────────────

@_exercise("05.1", "코드", "window_mask", """
def window_mask(T, w):
    i = torch.arange(T)[:, None]          # 쿼리 (행)
    j = torch.arange(T)[None, :]          # 키 (열)
    return (j <= i) & (i - j < w)         # 미래는 가리고, 자기 자신 포함 최근 w개만
""")
def _g051(f):
    i, j = torch.arange(7)[:, None], torch.arange(7)[None, :]
    want = (j <= i) & (i - j < 3)
    got = _call(f, 7, 3)
    if not isinstance(got, torch.Tensor) or got.shape != (7, 7):
        return "결과는 (T, T) 모양이어야 합니다."
    if got.dtype != torch.bool:
        return "마스크는 불리언(True = 참여)이어야 합니다."
    if torch.equal(got, j <= i):
        return "룩어헤드 마스크와 같습니다. 창 밖의 먼 과거도 가려야 합니다."
    if torch.equal(got, (i - j).abs() < 3):
        return "미래 쪽도 열려 있습니다. 창은 자기 자신과 그 앞쪽만입니다."
    if torch.equal(got, (j <= i) & (i - j <= 3)):
        return "창이 한 칸 넓습니다. 자기 자신을 포함해 w개입니다."
    if not torch.equal(got, want):
        return "T = 7, w = 3에서 틀린 칸이 있습니다. 행 = 쿼리, 열 = 키로 몇 줄을 직접 그려 보세요."
    if not torch.equal(_call(f, 5, 5), torch.ones(5, 5, dtype=torch.bool).tril()):
        return "w = T이면 룩어헤드 마스크와 같아야 합니다."
    return None


@_exercise("05.2", "코드", "to_torch_mha_mask", """
def to_torch_mha_mask(mask):
    return ~mask          # 이 책: True = 참여 → nn.MultiheadAttention: True = 가림
""", "float 마스크로 바꿔도 됩니다: `torch.zeros(mask.shape).masked_fill(~mask, float('-inf'))` (점수에 더해지는 값).")
def _g052(f):
    i, j = torch.arange(5)[:, None], torch.arange(5)[None, :]
    mask = (j <= i) & (i - j < 2)
    got = _call(f, mask)
    if not isinstance(got, torch.Tensor) or got.shape != mask.shape:
        return "마스크와 같은 모양의 텐서를 돌려주세요."
    if got.dtype == torch.bool:
        if torch.equal(got, mask):
            return "그대로 넘겼습니다. 두 라이브러리에서 True의 뜻이 같은가요?"
        return None if torch.equal(got, ~mask) else "가리는 칸이 맞지 않습니다."
    # float 마스크는 점수에 더해집니다: 참여 칸 0, 가린 칸 -inf (또는 아주 큰 음수)
    if bool((got[mask] == 0).all()) and bool((got[~mask] < -1e4).all()):
        return None
    return "float 마스크는 점수에 '더해지는' 값입니다. 0과 1을 더해서는 아무것도 가려지지 않습니다."


@_exercise("05.3", "예측", "prediction", """
prediction = 3     # 앞쪽 <pad> 쿼리 p개는 자기와 그 앞(모두 <pad>)만 볼 수 있어 행 전체가 가려짐
""")
def _g053(prediction):
    return _judge_number(_number(prediction), 3, [
        (0, "맨 앞 쿼리가 룩어헤드 마스크로 볼 수 있는 키는 무엇이고, 그것은 패딩 마스크에서 어떻게 되나요?"),
        (6, "뒤쪽의 진짜 토큰들은 자기 자신을 볼 수 있습니다."),
    ], "행 하나씩, '볼 수 있는 키가 하나라도 남는가'를 따져 보세요.")


# ───────────────────────────── 6장: 인코더 블록 ─────────────────────────────

@_exercise("06.1", "예측", "prediction", """
prediction = 2 * 512 * 2048 + 2048 + 512   # W1 (512×2048) + b1 (2048) + W2 (2048×512) + b2 (512)
""")
def _g061(prediction):
    return _judge_number(_number(prediction), 2 * 512 * 2048 + 2048 + 512, [
        (2 * 512 * 2048, "가중치만 셌습니다. 두 nn.Linear의 편향은 길이가 각각 얼마인가요?"),
        ((512 * 2048, 512 * 2048 + 2048), "nn.Linear가 하나뿐인가요? FFN은 넓혔다가 다시 좁힙니다."),
    ], "두 nn.Linear의 가중치 모양과 편향 길이를 적고 더해 보세요.")


@_exercise("06.2", "코드", "layer_norm_by_hand", """
def layer_norm_by_hand(x, eps=1e-5):
    mean = x.mean(dim=-1, keepdim=True)                  # 토큰 하나의 특징 d개 = 마지막 축
    var = x.var(dim=-1, keepdim=True, unbiased=False)
    return (x - mean) / torch.sqrt(var + eps)
""")
def _g062(f):
    g = _gen(62)
    x = torch.randn(4, 7, 10, generator=g) * 3 + 1
    got = _call(f, x)
    want = F.layer_norm(x, (10,))
    if isinstance(got, torch.Tensor) and got.shape == want.shape and not torch.allclose(got, want, atol=1e-4):
        if torch.allclose(got.mean(-1), torch.zeros(4, 7), atol=1e-4):
            return "평균은 맞게 뺐습니다. 분산을 n으로 나눴는지(unbiased=False) 보세요."
        return "평균과 분산을 낸 축이 다릅니다. 층 정규화는 토큰 하나의 특징들로만 통계를 냅니다(다른 토큰·문장과 무관)."
    return _tensor_like(got, want, "정규화 결과")


@_exercise("06.3", "코드", "make_skip", """
def make_skip(d_in, d_out):
    return nn.Linear(d_in, d_out, bias=False)    # 잔차 경로에서 길이만 맞추는 선형 투영
""")
def _g063(f):
    torch.manual_seed(63)
    m = _call(f, 16, 24)
    if not isinstance(m, nn.Module):
        return "nn.Module(층)을 돌려주세요."
    a, b = torch.randn(2, 5, 16), torch.randn(2, 5, 16)
    with torch.no_grad():
        ya = m(a)
        if tuple(ya.shape) != (2, 5, 24):
            return f"지름길의 출력 모양이 {tuple(ya.shape)}입니다. 부분층의 출력 (…, 24)와 더할 수 있어야 합니다."
        if not torch.allclose(m(a + b), ya + m(b), atol=1e-5) or not torch.allclose(m(2 * a), 2 * ya, atol=1e-5):
            return "지름길이 선형이 아닙니다. 활성화 함수가 끼면 지름길의 장점(기울기가 그대로 흐름)이 사라집니다."
    return None


# ───────────────────────────── 7장: 디코더 ─────────────────────────────

@_exercise("07.1", "예측", "prediction", """
prediction = ((2, 8, 6, 9), (2, 6, 64))   # 크로스 어텐션 (B, h, T_tgt, S_src), 출력 (B, T_tgt, d_model)
""", "크로스 어텐션의 쿼리는 번역문(디코더), 키·밸류는 원문(메모리)입니다. 출력은 쿼리마다 하나이므로 원문 길이와 무관합니다.")
def _g071(prediction):
    return _judge_shapes(
        prediction, "(크로스 어텐션 가중치의 모양, 층 출력의 모양) 두 개를 적으세요.",
        ((2, 8, 6, 9), (2, 8, 9, 6), "크로스 어텐션의 행(쿼리)과 열(키)이 바뀌었습니다. 쿼리는 어느 쪽에서 오나요?",
         "크로스 어텐션 가중치의 모양이 다릅니다. (B, h, 쿼리 수, 키 수)입니다."),
        ((2, 6, 64), (2, 9, 64), "층 출력은 쿼리마다 하나입니다. 원문 길이가 출력에 남을까요?",
         "층 출력의 모양이 다릅니다. 디코더 층은 입력과 같은 모양을 냅니다."))


@_exercise("07.2", "코드", "pick_next", """
def pick_next(logits):
    return logits[0, -1].argmax().item()    # 마지막 위치(-1)에서 가장 큰 로짓의 번호
""")
def _g072(f):
    g = _gen(72)
    logits = torch.randn(1, 4, 10, generator=g)
    logits[0, 0, 3] = 9.0                                  # 첫 위치의 최댓값을 가장 크게 (전체 argmax도 여기)
    logits[0, -1, 7] = 5.5                                 # 마지막 위치에서 고를 토큰
    want = int(logits[0, -1].argmax())
    got, hint = _one_index(_call(f, logits), "토큰 번호 하나(정수)를 돌려주세요.",
                           "로짓의 값이 아니라 그 번호(argmax)를 돌려주세요.")
    if hint or got == want:
        return hint
    if got == int(logits[0, 0].argmax()):
        return "첫 위치의 로짓을 봤습니다. 다음 토큰은 어느 위치의 출력이 예측하나요?"
    if got == int(logits.argmax()):
        return "텐서 전체에서 argmax를 했습니다. 위치 하나를 먼저 고르세요."
    return "다음 토큰은 마지막 위치의 로짓 중 가장 큰 것의 번호입니다."


@_exercise("07.3", "코드", "shift_right", """
def shift_right(tgt, bos):
    start = torch.full((tgt.shape[0], 1), bos, dtype=tgt.dtype)
    return torch.cat([start, tgt[:, :-1]], dim=1)      # <bos> + 정답의 마지막 하나를 뺀 것
""", "위치 $i$의 입력이 $y_{i-1}$이 되어야 위치 $i$의 출력이 $y_i$를 예측합니다(교사 강요). 길이는 그대로입니다.")
def _g073(f):
    tgt = torch.tensor([[5, 6, 7, 2], [8, 9, 2, 0]])
    want = torch.tensor([[1, 5, 6, 7], [1, 8, 9, 2]])
    got = _call(f, tgt, 1)
    if isinstance(got, torch.Tensor):
        if got.shape == (2, 5):
            return "길이가 하나 늘었습니다. 디코더 입력과 정답은 길이가 같아야 위치마다 짝이 맞습니다."
        if got.shape == want.shape and torch.equal(got, tgt):
            return "정답을 그대로 넣으면 위치 i가 자기가 맞혀야 할 토큰을 입력으로 봅니다."
        if got.shape == (2, 3) and torch.equal(got, tgt[:, 1:]):
            return "반대 방향으로 밀었습니다. 디코더 입력은 <bos>로 시작합니다."
    return _tensor_like(got, want, "디코더 입력")

