"""로그 축의 눈금 글자를 수식 글꼴의 $10^{-3}$ 꼴로 고정합니다.

    ax.set_yscale("log")
    viz.power_of_ten_ticks(ax)          # 세로축; 가로축은 axis="x", 둘 다는 axis="both"

matplotlib 의 기본 로그 눈금 글자는 본문 글꼴(책 그림에서는 한글 글꼴)로 그려지는데, 한글 글꼴에는 수식용 빼기 기호가
없어 10^-3 의 "-" 가 네모로 보일 수 있습니다. 눈금 글자를 수식(mathtext) 글꼴로 쓰면 언제나 제대로 보입니다.
"""
from __future__ import annotations

import math


def power_of_ten_label(value: float) -> str:
    """눈금 값 하나의 글자: 양수면 가장 가까운 10 의 거듭제곱 "$10^{k}$", 0 이하면 "0"."""
    return f"$10^{{{round(math.log10(value))}}}$" if value > 0 else "0"


def power_of_ten_ticks(ax, axis: str = "y") -> None:
    """ax 의 로그 축(axis: "x", "y", "both") 주 눈금을 $10^{k}$ 꼴로 씁니다."""
    from matplotlib.ticker import FuncFormatter

    if axis not in ("x", "y", "both"):
        raise ValueError(f'axis 는 "x", "y", "both" 중 하나여야 합니다; 받은 값: {axis!r}')
    for a in {"x": [ax.xaxis], "y": [ax.yaxis], "both": [ax.xaxis, ax.yaxis]}[axis]:
        a.set_major_formatter(FuncFormatter(lambda v, _: power_of_ten_label(v)))
