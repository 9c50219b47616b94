"""How fast the shared Markdown renderer turns posts into sanitised HTML.

Every forum post, article and comment goes through core.markdown.render_markdown, so its cost
sets a floor under every page. Prints posts per second (median of several runs) for a typical
English post, a Chinese post and a long post with code and tables.

    DJANGO_DEBUG=1 .venv/bin/python bench/markdown_render.py
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "okxcommunity.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")

import django  # noqa: E402

django.setup()

from core.markdown import render_markdown  # noqa: E402

POSTS = {
    "english": (
        "Has anyone else seen **delayed USDT withdrawals** on TRC-20 today?\n\n"
        "I followed the [guide](https://www.okx.com/help) and waited 30 minutes.\n\n"
        "- network: TRC-20\n- amount: 250 USDT\n\n> Update: it arrived after 40 minutes."
    ),
    "chinese": (
        "## 提现到账慢怎么办？\n\n今天用 **TRC-20** 提现 USDT，等了半小时还没到账。"
        "已经按照[帮助中心](https://www.okx.com/help)的步骤检查过地址。\n\n"
        "1. 网络：TRC-20\n2. 金额：250 USDT\n\n> 更新：40 分钟后到账了。"
    ),
    "long": "\n\n".join(
        ["| pair | price | change |\n|---|---|---|\n| BTC-USDT | 97,000 | +2.1% |"] * 5
        + ["```python\nprint('grid bot')\n```"] * 5
        + ["Paragraph with <b>raw html</b> and <script>alert(1)</script> " * 10] * 10
    ),
}
RUNS = 7
ROUNDS = 300


def main() -> None:
    print(f"{'post':<10}{'chars':>8}{'posts/s (median of ' + str(RUNS) + ')':>28}")
    for name, text in POSTS.items():
        rates = []
        for _ in range(RUNS):
            start = time.perf_counter()
            for _ in range(ROUNDS):
                render_markdown(text)
            rates.append(ROUNDS / (time.perf_counter() - start))
        print(f"{name:<10}{len(text):>8}{statistics.median(rates):>28,.0f}")


if __name__ == "__main__":
    main()
