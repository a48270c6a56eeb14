"""연습 문제 채점기(transformer_lib/exercises/)와 노트북의 연습 문제 칸.

- 문제마다: 풀이 코드(정답 예시)를 실행한 답은 통과, 그럴듯한 오답 두 개 이상은 힌트와 함께 거절.
- 빈칸(...)은 오류 없이 "아직 풀지 않았습니다".
- 노트북의 코드 셀에는 풀이가 채워져 있지 않고, 문제마다 빈칸 셀과 채점 셀과 (사이트에서 접히는) 풀이 셀이 있음.
"""
import json
import math
import re
from pathlib import Path

import pytest
import torch
from torch import nn

from transformer_lib import exercises as ex

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


# 문제마다 그럴듯한 오답들 (학생이 실제로 할 만한 실수). 코드 문제의 오답은 함수 f의 소스이고, _wrong_answer가 함수로 만듭니다.
WRONG = {
    "00.1": [65, 67, 22, 7],
    "00.2": ["def f(H, e):\n a = torch.exp(e)\n return a, a @ H",
             "def f(H, e):\n a = torch.exp(e) / torch.exp(e).sum()\n return a, H.mean(0)",
             "def f(H, e):\n a = torch.exp(e) / torch.exp(e).sum()\n return a, H.T @ torch.exp(e)"],
    "00.3": ["def f(out, H):\n return out[..., :H]",
             "def f(out, H):\n return out[..., H:].flip(1)",
             "def f(out, H):\n return out[:, H:]"],
    "01.1": ["def f(X):\n return torch.softmax(X @ X.T, dim=-1)",
             "def f(X):\n Xn = X / X.norm(dim=-1, keepdim=True)\n return torch.softmax(Xn @ Xn.T, dim=0)",
             "def f(X):\n Xn = X / X.norm(dim=-1, keepdim=True)\n return Xn @ Xn.T"],
    "01.2": [((7, 3), (3, 2)), ((3, 7), (3, 5)), ((3, 5), (3, 2))],
    "01.3": [0, 1, 0.5],
    "02.1": [128, 32, 64],
    "02.2": ["def f(q, k, v):\n w = torch.softmax(q @ k.transpose(-2, -1), -1)\n return w @ v, w",
             "def f(q, k, v):\n w = torch.softmax(q @ k.transpose(-2, -1) / q.shape[-1], -1)\n return w @ v, w",
             "def f(q, k, v):\n w = torch.softmax(q @ k.transpose(-2, -1) / math.sqrt(k.shape[-2]), -1)\n return w @ v, w"],
    "02.3": ["def f(a):\n return torch.outer(a, a) - torch.diag(a)",
             "def f(a):\n return torch.diag(a)",
             "def f(a):\n return a - a * a"],
    "03.1": [4 * 64 * 64, 3 * (64 * 64 + 64), 16 * (64 * 64 + 64)],
    "03.2": ["def f(x, h):\n B, T, d = x.shape\n return x.view(B, h, T, d // h)",
             "def f(x, h):\n B, T, d = x.shape\n return x.view(B, T, h, d // h)",
             "def f(x, h):\n B, T, d = x.shape\n return x.view(B, T, d // h, h).permute(0, 3, 1, 2)"],
    "03.3": ["def f(W, i, d_k):\n return W.weight[i * d_k:(i + 1) * d_k]",
             "def f(W, i, d_k):\n r = (i + 1) % 4\n return W.weight[:, r * d_k:(r + 1) * d_k]",
             "def f(W, i, d_k):\n return W.weight[:, i:i + d_k]"],
    "04.1": ["def f(j, L, d):\n pos = torch.arange(L, dtype=torch.float64)\n a = pos / 10000 ** (j / d)\n"
             " return torch.sin(a) if j % 2 == 0 else torch.cos(a)",
             "def f(j, L, d):\n pos = torch.arange(L, dtype=torch.float64)\n a = pos / 10000 ** (2 * (j // 2) / d)\n"
             " return torch.cos(a) if j % 2 == 0 else torch.sin(a)",
             "def f(j, L, d):\n pos = torch.arange(L, dtype=torch.float64)\n a = pos / 10000 ** ((j // 2) / d)\n"
             " return torch.sin(a) if j % 2 == 0 else torch.cos(a)"],
    "04.2": [9, 3, 1],
    "04.3": [64, 1, 16],
    "05.1": ["def f(T, w):\n return torch.ones(T, T, dtype=torch.bool).tril()",
             "def f(T, w):\n i = torch.arange(T)[:, None]; j = torch.arange(T)[None, :]\n return (i - j).abs() < w",
             "def f(T, w):\n i = torch.arange(T)[:, None]; j = torch.arange(T)[None, :]\n return (j <= i) & (i - j <= w)",
             "def f(T, w):\n i = torch.arange(T)[:, None]; j = torch.arange(T)[None, :]\n return ((j <= i) & (i - j < w)).int()"],
    "05.2": ["def f(m):\n return m",
             "def f(m):\n return m.float()",
             "def f(m):\n return (~m).float()"],
    "05.3": [0, 6, 1],
    "06.1": [2 * 512 * 2048, 512 * 2048, 512 * 2048 + 2048],
    "06.2": ["def f(x, eps=1e-5):\n m = x.mean(1, keepdim=True); v = x.var(1, keepdim=True, unbiased=False)\n"
             " return (x - m) / torch.sqrt(v + eps)",
             "def f(x, eps=1e-5):\n m = x.mean(-1, keepdim=True); v = x.var(-1, keepdim=True)\n return (x - m) / torch.sqrt(v + eps)",
             "def f(x, eps=1e-5):\n m = x.mean((0, 1), keepdim=True); v = x.var((0, 1), keepdim=True, unbiased=False)\n"
             " return (x - m) / torch.sqrt(v + eps)"],
    "06.3": ["def f(a, b):\n return nn.Identity()",
             "def f(a, b):\n return nn.Linear(b, a)",
             "def f(a, b):\n return nn.Sequential(nn.Linear(a, b), nn.ReLU())"],
    "07.1": [((2, 8, 9, 6), (2, 6, 64)), ((2, 8, 6, 9), (2, 9, 64)), ((2, 6, 9), (2, 6, 64))],
    "07.2": ["def f(l):\n return l[0, 0].argmax().item()",
             "def f(l):\n return l[0, -1].max().item()",
             "def f(l):\n return l.argmax().item()"],
    "07.3": ["def f(t, bos):\n return t[:, 1:]",
             "def f(t, bos):\n return torch.cat([torch.full((t.shape[0], 1), bos), t], 1)",
             "def f(t, bos):\n return t"],
    "08.1": ["def f(s, d, w):\n return d ** -0.5 * s ** -0.5",
             "def f(s, d, w):\n return d ** -0.5 * s * w ** -1.5",
             "def f(s, d, w):\n return min(s ** -0.5, s * w ** -1.5)",
             "def f(s, d, w):\n return d ** -0.5 * max(s ** -0.5, s * w ** -1.5)"],
    "08.2": [(1, 512 ** -0.5), (4000, 1e-3), (8000, 512 ** -0.5 * 8000 ** -0.5)],
    "08.3": ["def f(eps, V):\n return eps * math.log(V)",
             "def f(eps, V):\n return -(1 - eps) * math.log(1 - eps)",
             "def f(eps, V):\n q = torch.full((V,), eps / (V - 1)); q[0] = 1 - eps\n return -(q * q.log()).sum().item()"],
    "08.4": ["def f(p):\n return sum(l for l, _ in p) / len(p)",
             "def f(p):\n return sum(l for l, _ in p)",
             "def f(p):\n return sum(l * n for l, n in p)"],
    "09.1": ["book", "나는", "<eos>"],
    "09.2": ["def f(m):\n return int(m.mean((1, 2)).argmax())",
             "def f(m):\n return m.diagonal(dim1=-2, dim2=-1).mean(-1).max().item()",
             "def f(m):\n return int(m[:, :, 0].mean(-1).argmax())"],
    "09.3": [False, "네", 1],
    "10.1": [512, 256, 2048],
    "10.2": ["def f(x, m, base=10000.0):\n d = x.shape[-1]\n t = base ** (-torch.arange(0, d, 2, dtype=torch.float64) / d)\n"
             " a, b = x[: d // 2].double(), x[d // 2:].double()\n c, s = torch.cos(m * t), torch.sin(m * t)\n"
             " return torch.cat([a * c + b * s, -a * s + b * c])",
             "def f(x, m, base=10000.0):\n d = x.shape[-1]\n t = base ** (-torch.arange(0, d, 2, dtype=torch.float64) / d)\n"
             " a, b = x[: d // 2].double(), x[d // 2:].double()\n c, s = torch.cos(t), torch.sin(t)\n"
             " return torch.cat([a * c - b * s, a * s + b * c])",
             "def f(x, m, base=10000.0):\n d = x.shape[-1]\n t = base ** (-torch.arange(0, d, 2, dtype=torch.float64) / d)\n"
             " a, b = x[0::2].double(), x[1::2].double()\n c, s = torch.cos(m * t), torch.sin(m * t)\n"
             " return torch.stack([a * c - b * s, a * s + b * c], -1).flatten()"],
    "10.3": [(True, True), (False, False), (False, True)],
    "11.1": [196, 14, 589],
    "11.2": ["def f(x, P):\n return torch.nn.functional.unfold(x, kernel_size=P, stride=P)",
             "def f(x, P):\n u = torch.nn.functional.unfold(x, kernel_size=P, stride=P)\n return u.reshape(u.shape[0], u.shape[2], u.shape[1])",
             "def f(x, P):\n return torch.nn.functional.unfold(x, kernel_size=P).transpose(1, 2)"],
    "11.3": [3, 360, 1],
}


def _wrong_answer(name, answer):
    """표의 오답을 채점기에 넘길 값으로: 코드 문제면 소스를 실행해 함수 f를 만듭니다."""
    if ex.EXERCISES[name].kind != "코드":
        return answer
    ns = {"torch": torch, "math": math, "nn": nn}
    exec(answer, ns)
    return ns["f"]


# (문제, 오답) 한 쌍이 테스트 하나: 어느 오답이 통과했는지 이름(예: 02.2-wrong1)으로 바로 보입니다.
WRONG_CASES = [pytest.param(name, answer, id=f"{name}-wrong{i}")
               for name, answers in sorted(WRONG.items()) for i, answer in enumerate(answers)]


def test_every_exercise_has_wrong_answers_and_chapters_have_three():
    assert set(WRONG) == set(ex.EXERCISES)
    assert all(len(answers) >= 2 for answers in WRONG.values()), "문제마다 오답이 두 개 이상 있어야 합니다"
    assert {p.name[:2] for p in NOTEBOOKS} <= {n[:2] for n in ex.EXERCISES}, "연습 문제가 채점기에 없는 장이 있습니다"
    chapters = {}
    for name, e in ex.EXERCISES.items():
        chapters.setdefault(name[:2], []).append(e.kind)
        assert e.kind in ("예측", "코드")
    for ch, kinds in chapters.items():
        assert len(kinds) >= 3, ch
        assert "예측" in kinds and "코드" in kinds, f"{ch}장: 예측 문제와 코드 문제가 모두 있어야 합니다"


@pytest.mark.parametrize("name", sorted(ex.EXERCISES))
def test_reference_solution_passes(name, capsys):
    answer = ex.reference(name)
    assert ex.grade(name, answer) is None
    assert bool(ex.check(name, answer)) is True
    assert "맞았습니다" in capsys.readouterr().out


@pytest.mark.parametrize("name, wrong", WRONG_CASES)
def test_wrong_answer_gets_a_hint_without_the_answer(name, wrong, capsys):
    answer = ex.reference(name)
    wrong = _wrong_answer(name, wrong)
    hint = ex.grade(name, wrong)
    assert hint and hint != ex.NOT_YET, (name, wrong)
    assert re.search("[가-힣]", hint), hint                  # 한국어 힌트
    if isinstance(answer, (int, float)) and not isinstance(answer, bool):
        assert f"{answer:g}" not in hint, hint             # 예측 문제의 답을 힌트에 쓰지 않음
    elif isinstance(answer, str):
        assert answer not in hint, hint
    assert bool(ex.check(name, wrong)) is False
    out = capsys.readouterr().out
    assert "아직 아닙니다" in out and "힌트" in out, out


def _blank_function(*args):
    ...


@pytest.mark.parametrize("name", sorted(ex.EXERCISES))
def test_untouched_scaffold_says_not_yet(name, capsys):
    ran = []
    blanks = [..., None] + ([_blank_function] if ex.EXERCISES[name].kind == "코드" else [(..., ...)])
    for blank in blanks:
        assert ex.grade(name, blank) == ex.NOT_YET
        assert bool(ex.check(name, blank, run=lambda: ran.append(1))) is False
        assert "아직 풀지 않았습니다" in capsys.readouterr().out
    assert not ran, "빈칸이면 예측 실험을 돌리지 않아야 합니다(결과가 먼저 보이면 예측이 아님)"


def test_half_written_function_with_blank_line_is_not_yet():
    def my_attention(q, k, v):
        scores = ...
        weights = torch.softmax(scores, dim=-1)
        return weights @ v, weights
    assert ex.grade("02.2", my_attention) == ex.NOT_YET


def test_crashing_student_code_gives_a_hint_not_an_exception(capsys):
    def split_heads(x, h):
        return x.view(7, 7)
    assert bool(ex.check("03.2", split_heads)) is False
    assert "오류" in capsys.readouterr().out


def test_measured_value_decides_notebook_predictions():
    assert ex.grade("09.1", "책을", measured="책을") is None
    assert ex.grade("09.1", "책을", measured="읽었다") is not None
    assert ex.grade("09.3", False, measured=False) is None


def test_check_result_prints_nothing_more_in_a_notebook():
    from IPython.core.formatters import DisplayFormatter
    result = ex.check("01.3", 0.25)
    assert result and not ex.check("01.3", 0)
    assert hasattr(result, "_ipython_display_") and result._ipython_display_() is None
    assert DisplayFormatter().format(result) == ({}, {})       # IPython 이 True/False 를 다시 보이지 않음


def test_unknown_exercise_is_a_clear_error():
    with pytest.raises(KeyError, match="없는 연습 문제"):
        ex.check("99.9", 1)


def test_solution_shows_the_reference_code(capsys):
    ex.solution("05.1")
    assert "def window_mask" in capsys.readouterr().out


# ───────── 노트북 ─────────

def _exercise_cells(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    start = max(i for i, c in enumerate(cells) if c["cell_type"] == "markdown" and "## 연습 문제" in "".join(c["source"]))
    return cells[start:]


def _solution_lines(name):
    """풀이 코드의 '답이 되는' 줄들 (def 줄·주석·빈 줄·짧은 줄 제외)."""
    lines = []
    for line in ex.EXERCISES[name].solution.splitlines():
        code = line.split("#")[0].strip()
        if code and not code.startswith("def ") and not re.fullmatch(r"return [\w, @]+", code) and len(code) > 12:
            lines.append(code)
    return lines


def test_no_notebook_contains_a_filled_in_solution():
    for path in NOTEBOOKS:
        cells = ["".join(c["source"]) for c in _exercise_cells(path) if c["cell_type"] == "code"]   # 연습 문제 절
        assert "정답 예시" not in "\n".join(cells), path.name
        code = "\n".join(c for c in cells if "..." not in c)     # 빈칸이 남은 셀(뼈대)의 주어진 줄은 제외
        for name in ex.EXERCISES:
            if name[:2] == path.name[:2]:
                for line in _solution_lines(name):
                    assert line not in code, f"{path.name}: 문제 {name}의 풀이 줄이 코드 셀에 있습니다: {line}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_exercise_cells(path):
    cells = _exercise_cells(path)
    code = [c for c in cells if c["cell_type"] == "code"]
    names = sorted(n for n in ex.EXERCISES if n[:2] == path.name[:2])
    text = "\n".join("".join(c["source"]) for c in code)
    for name in names:
        assert f'check("{name}"' in text, f"{path.name}: 문제 {name}의 채점 셀이 없습니다"
        sol = [c for c in code if f'solution("{name}")' in "".join(c["source"])]
        assert len(sol) == 1, f"{path.name}: 문제 {name}의 풀이 셀이 하나여야 합니다"
        tags = sol[0]["metadata"].get("tags", [])
        assert "remove-input" in tags and "hide-output" in tags, (name, tags)       # 사이트에서는 접힌 풀이
        assert sol[0]["metadata"]["mystnb"]["code_prompt_show"] == "풀이 보기"
    assert text.count("...") >= len(names), f"{path.name}: 학생이 채울 빈칸(...)이 없습니다"
    for c in code:  # 풀이를 출력하는 숨은 코드 셀(옛 방식)이 남아 있지 않음
        assert "hide-input" not in c["metadata"].get("tags", []), "".join(c["source"])[:80]
        assert not c.get("outputs") and c.get("execution_count") is None
