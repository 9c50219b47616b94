"""Fill a PostgreSQL database with a realistic forum of 1,000,000 posts, for the search and list
benches.

Adds ``--posts`` posts (default 1,000,000) in new topics of the demo categories
(``accounts.demo`` + ``forum.demo``), written by ~20,000 members (a few of them ambassadors,
product managers and staff; some far more active than others), over the last two years in time
order (ids follow ``created_at``, as ``auto_now_add`` does). Topic lengths follow a Pareto law:
most topics have a few posts, a few have thousands. Bodies are English or Chinese (a tenth
Chinese unless ``--zh-share`` says otherwise) Markdown (paragraphs, lists, links, ``code``,
quotes) put together from sentence templates and a crypto/trading vocabulary, so words vary;
each distinct paragraph is rendered once by ``core.markdown`` and bodies join the results,
which equals rendering the whole body (checked on a sample before anything is written). A third
of the posts have reactions (``reaction_counts`` matches the Reaction rows), every poster has a
TopicRead row up to their last post, and some questions in Q&A categories have an accepted
answer. At the end the counters are set from the rows (Topic
``last_post_number``/``last_posted_at``/``last_poster``, Category
``topic_count``/``post_count``), the sequences reset, and ``VACUUM ANALYZE`` run.

Rows go in with ``COPY`` (psycopg 3 ``cursor.copy``) in batches, with progress.
``generate(posts=...)`` is the importable entry point; it needs Django set up on PostgreSQL.

    createdb -h 127.0.0.1 -U postgres okx_bench_forum   # the script creates it if missing
    DJANGO_DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/okx_bench_forum \\
    REDIS_URL=redis://127.0.0.1:6379/13 .venv/bin/python bench/forum_posts.py \\
        [--posts 1000000] [--users 20000] [--seed 1] [--zh-share 0.1]

``--posts`` is the number wanted in the database: a second run adds only what is missing.
Target: a million posts in under 10 minutes on two cores. The load average is printed before
and after, as the machine may be shared.
"""

import argparse
import io
import json
import os
import random
import sys
import time
from array import array
from collections import Counter
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

USERS = 20_000
YEARS = 2
BATCH = 50_000
PARAGRAPHS = 4_000  # distinct paragraphs per language
# Share of topics by category slug (the demo categories).
CATEGORY_SHARE = {"introductions": 0.06, "questions-answers": 0.30, "spot-futures": 0.22,
                  "trading-bots": 0.14, "app-and-web": 0.15, "api": 0.10, "official-news": 0.03}
ZH_SHARE = 0.1  # posts in Chinese (the search bench's mix); see _switch_share
REACTED_SHARE = 0.33
REACTION_WEIGHTS = {"like": 60, "heart": 14, "laugh": 8, "wow": 7, "rocket": 11}
ACCEPTED_SHARE = 0.4  # answered questions with an accepted answer
REPLY_TO_SHARE = 0.1
# Topic length: 2.3 * Pareto(1.3) - 1, so ~30% of topics get no reply and a few thousands.
LENGTH_SCALE, LENGTH_ALPHA = 2.3, 1.3

COINS = ["BTC", "ETH", "SOL", "XRP", "DOGE", "TON", "ADA", "AVAX", "LINK", "DOT", "POL", "LTC",
         "TRX", "SHIB", "PEPE", "ARB", "OP", "SUI", "APT", "NEAR", "ATOM", "UNI", "AAVE", "FIL",
         "ETC", "BCH", "INJ", "TIA", "WLD", "OKB", "USDC", "ORDI"]
NETWORKS = ["TRC-20", "ERC-20", "X Layer", "Arbitrum One", "Optimism", "Polygon", "Solana",
            "Base", "TON", "Avalanche C-Chain", "BNB Chain", "Lightning"]
FEATURES_EN = ["grid bot", "DCA bot", "copy trading", "Simple Earn", "on-chain staking",
               "the P2P market", "Convert", "the margin account", "portfolio margin", "options",
               "perpetual swaps", "delivery futures", "the strategy marketplace",
               "the Web3 wallet", "price alerts", "sub-accounts", "API keys",
               "the funding account", "recurring buy", "stop-limit orders", "trailing stops",
               "TP/SL", "iceberg orders", "TWAP orders", "block trading", "flexible loans",
               "the tax report", "the trading calendar", "dual investment", "shark fin"]
FEATURES_ZH = ["网格机器人", "定投", "跟单", "简单赚币", "链上质押", "P2P 交易", "闪兑", "杠杆账户",
               "组合保证金", "期权", "永续合约", "交割合约", "策略广场", "Web3 钱包", "价格提醒",
               "子账户", "API 密钥", "资金账户", "定期定额", "计划委托", "移动止盈止损", "止盈止损",
               "冰山委托", "时间加权委托", "大宗交易", "活期借币", "双币赢", "鲨鱼鳍", "交易日历"]
TIMES_EN = ["this morning", "yesterday", "two hours ago", "last week", "after the upgrade",
            "during the maintenance window", "since Monday", "at 3 am UTC", "over the weekend",
            "right after the CPI numbers", "when the market dumped", "an hour ago"]
TIMES_ZH = ["今天早上", "昨天晚上", "两个小时前", "上周", "升级之后", "维护期间", "从周一开始",
            "凌晨三点", "周末", "CPI 数据公布后", "大跌的时候", "一个小时前"]
SENTENCES_EN = [
    "My {coin} withdrawal on {net} has been pending since {time}.",
    "I deposited {n} {coin} {time} and it is still not in my funding account.",
    "Is {feature} worth it for a small account like mine?",
    "I run a {feature} on {coin}-USDT with {n} grids and it made {pct}% last month.",
    "Funding on {coin} perpetuals turned negative {time}, so I closed my shorts.",
    "Always set a stop-loss before you open a position, especially with {lev}x leverage.",
    "The fee for {coin} on {net} looks higher than what the help centre says.",
    "Does anyone know why {feature} is not available in my region?",
    "After the last app update the chart for {coin} keeps freezing on my phone.",
    "I moved {n} USDT from the trading account to {feature} and the balance looks wrong.",
    "Thanks, that fixed it for me as well.",
    "Same here, support told me to wait for {n} confirmations.",
    "You can follow the transaction hash under Assets, then History.",
    "Risk at most {pct}% of your account on a single trade.",
    "I lost a lot on {coin} with {lev}x leverage, so now I only use isolated margin.",
    "The order book on {coin}-USDT was very thin {time}.",
    "Could we get {feature} for {coin} as well?",
    "My limit order at {n} was skipped even though the price touched it.",
    "Liquidation price moved when I added margin, which surprised me.",
    "The mark price and the last price were {pct}% apart {time}.",
    "I use the AI parameters for {feature} as a starting point.",
    "KYC took about {n} minutes for me, with a passport.",
    "Please never share your API keys or verification codes with anyone.",
    "Two-factor authentication with an app is safer than SMS.",
    "The {coin} staking rate dropped to {pct}% APR {time}.",
    "Is there a way to export the trade history of {feature} as CSV?",
    "Withdrawals of {coin} on {net} were suspended {time} for a network upgrade.",
    "I would love a dark mode for the web trading view.",
    "My bot stopped {time} with the message that the price left the range.",
    "Copying this trader made {pct}% in a week, but the drawdown was scary.",
    "The new page for {feature} is much clearer, well done.",
    "Slippage on the {coin} market order was {pct}%, more than I expected.",
    "I keep a spreadsheet of every trade with entry, exit and the reason I took it.",
    "DCA into {coin} every Friday has worked better for me than timing the market.",
    "Check that the memo or tag is right when you send {coin}, or the deposit will not arrive.",
    "Customer support answered within {n} minutes, which was great.",
    "The rate limit on the REST API is {n} requests per two seconds for that endpoint.",
    "My WebSocket connection drops every {n} seconds unless I send a ping.",
    "Unrealised PnL showed a big loss {time}, then it came back.",
    "I am new here and still learning how {feature} works.",
    "Hedge mode lets you hold a long and a short on {coin} at the same time.",
    "Does {feature} work with the sub-accounts?",
    "Spot grid on {coin} in a range market is my favourite setup.",
    "Be careful with {coin} around the unlock next week.",
    "The P2P seller did not release the USDT after {n} minutes, so I opened an appeal.",
    "My address whitelist made the withdrawal to {net} take {n} hours longer.",
]
SENTENCES_ZH = [
    "我的 {coin} 通过 {net} 提现从{time}一直显示处理中。",
    "{time}充值了 {n} 个 {coin}，资金账户里还是没有到账。",
    "小资金适合用{feature}吗？",
    "我在 {coin}-USDT 开了 {n} 格的{feature}，上个月收益 {pct}%。",
    "{coin} 永续合约的资金费率{time}变成负的了，我就平了空单。",
    "开仓前一定要先设止损，尤其是 {lev} 倍杠杆的时候。",
    "{coin} 在 {net} 上的手续费好像比帮助中心写的高。",
    "请问为什么我的地区不能使用{feature}？",
    "最近一次 App 更新之后，{coin} 的K线图在手机上经常卡住。",
    "我从交易账户转了 {n} USDT 到{feature}，余额显示不对。",
    "谢谢，我这边也解决了。",
    "我也遇到了，客服说要等 {n} 个区块确认。",
    "可以在资产页面的历史记录里查看交易哈希。",
    "单笔交易的亏损不要超过账户的 {pct}%。",
    "之前用 {lev} 倍杠杆做 {coin} 亏了不少，现在只用逐仓。",
    "{time} {coin}-USDT 的盘口非常薄。",
    "希望{feature}也能支持 {coin}。",
    "我在 {n} 挂的限价单没有成交，可是价格明明到了。",
    "追加保证金以后强平价格变了，有点意外。",
    "{time}标记价格和最新价差了 {pct}%。",
    "我一般用 AI 参数作为{feature}的初始设置。",
    "用护照做实名认证大概花了 {n} 分钟。",
    "千万不要把 API 密钥或验证码告诉任何人。",
    "用身份验证器 App 做两步验证比短信更安全。",
    "{coin} 的质押年化{time}降到了 {pct}%。",
    "{feature}的交易记录能导出成 CSV 吗？",
    "{time} {coin} 在 {net} 上因为网络升级暂停提现了。",
    "希望网页交易界面能有深色模式。",
    "我的机器人{time}停了，提示价格超出区间。",
    "跟单这位交易员一周赚了 {pct}%，不过回撤也挺吓人。",
    "新的{feature}页面清楚多了，点赞。",
    "{coin} 市价单的滑点有 {pct}%，比预期大。",
    "我会把每笔交易的开仓、平仓和理由都记在表格里。",
    "每周五定投 {coin}，比自己择时效果好。",
    "充 {coin} 的时候一定要核对备注或标签，不然充值不会到账。",
    "客服 {n} 分钟就回复了，体验很好。",
    "这个 REST 接口的限频是每两秒 {n} 次。",
    "我的 WebSocket 连接每隔 {n} 秒就断开，除非发送 ping。",
    "{time}未实现盈亏显示亏了很多，后来又回来了。",
    "我是新手，还在学习{feature}怎么用。",
    "双向持仓模式可以同时持有 {coin} 的多单和空单。",
    "{feature}支持子账户吗？",
    "震荡行情里在 {coin} 上开现货网格是我最喜欢的玩法。",
    "下周 {coin} 有代币解锁，大家小心。",
    "P2P 卖家 {n} 分钟都没放币，我已经提交申诉了。",
    "开启提币地址白名单后，{net} 的提现多等了 {n} 个小时。",
]
CODE_EN = [
    "I call `GET /api/v5/market/ticker?instId={coin}-USDT` every {n} seconds.",
    "Set `posSide` to `long` in hedge mode, otherwise the order is rejected.",
    "The error was `51008 Order failed, insufficient balance` on {coin}-USDT-SWAP.",
    "Send the text `ping` every 25 seconds and expect `pong` back.",
]
CODE_ZH = [
    "我每 {n} 秒调用一次 `GET /api/v5/market/ticker?instId={coin}-USDT`。",
    "双向持仓模式下要把 `posSide` 设为 `long`，否则下单会被拒绝。",
    "报错是 `51008 Order failed, insufficient balance`，交易对 {coin}-USDT-SWAP。",
]
LINKS_EN = ["See [the guide to {feature}](https://www.okx.com/help/{slug}) for the details.",
            "There is a [fee schedule](https://www.okx.com/fees) with every network."]
LINKS_ZH = ["详见[{feature}帮助文档](https://www.okx.com/zh-hans/help/{slug})。",
            "各网络的手续费见[费率说明](https://www.okx.com/zh-hans/fees)。"]
FENCES = [
    '```python\nclient.place_order(inst_id="{coin}-USDT-SWAP", side="buy", sz="{n}")\n```',
    '```json\n{{"instId": "{coin}-USDT", "tdMode": "cash", "sz": "{n}"}}\n```',
]
TITLES_EN = [
    "{coin} withdrawal on {net} stuck for hours", "How do I start with {feature}?",
    "My {feature} settings for {coin}", "Deposit of {coin} not credited",
    "Is {feature} worth it in a sideways market?", "{coin} funding rate went negative",
    "Question about {feature} and fees", "Best leverage for {coin} perpetuals?",
    "Feature request: {feature} for {coin}", "Lessons from my first year of {feature}",
    "Why was my {coin} limit order not filled?", "{coin} on {net}: which network is cheaper?",
]
TITLES_ZH = [
    "{coin} 通过 {net} 提现好几个小时没到账", "怎么开始使用{feature}？",
    "分享我的 {coin} {feature}参数", "{coin} 充值未到账", "震荡行情适合用{feature}吗？",
    "{coin} 资金费率变负了", "关于{feature}手续费的问题", "{coin} 永续合约用多少倍杠杆合适？",
    "建议：{feature}支持 {coin}", "玩{feature}一年的经验教训",
]
NICKNAMES = ["Trader", "Hodler", "Satoshi", "Moon", "Whale", "Grid", "Alpha", "Degen", "Lee",
             "Maria", "Kenji", "Priya", "Omar", "Sofia", "小明", "小红", "阿强", "币圈老王", "韭菜",
             "Anna", "Chen", "Juan", "Elif", "Tom"]


def _fill(template: str, rng: random.Random, zh: bool) -> str:
    feature = rng.choice(FEATURES_ZH if zh else FEATURES_EN)
    return template.format(
        coin=rng.choice(COINS), net=rng.choice(NETWORKS), feature=feature,
        time=rng.choice(TIMES_ZH if zh else TIMES_EN), n=rng.choice([2, 3, 5, 10, 12, 20, 30, 50,
                                                                      100, 250, 500, 1200]),
        pct=rng.choice(["0.5", "1", "2", "3.5", "5", "8", "12", "25"]),
        lev=rng.choice([2, 3, 5, 10, 20, 50, 100]),
        slug=rng.choice(FEATURES_EN).removeprefix("the ").replace(" ", "-").replace("/", "-")
        .lower())


def _sentences(rng: random.Random, zh: bool, count: int) -> str:
    joiner = "" if zh else " "
    return joiner.join(_fill(rng.choice(SENTENCES_ZH if zh else SENTENCES_EN), rng, zh)
                       for _ in range(count))


def _paragraph(rng: random.Random, zh: bool, plain: bool) -> str:
    """A plain paragraph, or (``plain`` False) a list, quote, code block or one with a link or
    ``code``. Bodies never put two non-plain ones in a row: two lists (or quotes) separated by
    a blank line would merge into one and the parts would no longer render alone."""
    if plain:
        if rng.random() < 0.1:  # a line break inside the paragraph (nl2br)
            return _sentences(rng, zh, 1) + "\n" + _sentences(rng, zh, 1)
        return _sentences(rng, zh, rng.choice([1, 1, 2, 2, 2, 3, 4]))
    kind = rng.random()
    if kind < 0.3:
        items = [_sentences(rng, zh, 1) for _ in range(rng.randint(2, 4))]
        if rng.random() < 0.5:
            return "\n".join(f"- {item}" for item in items)
        return "\n".join(f"{n}. {item}" for n, item in enumerate(items, 1))
    if kind < 0.55:
        return _sentences(rng, zh, 1) + ("" if zh else " ") + _fill(
            rng.choice(LINKS_ZH if zh else LINKS_EN), rng, zh)
    if kind < 0.8:
        return _fill(rng.choice(CODE_ZH if zh else CODE_EN), rng, zh)
    if kind < 0.9:
        return "> " + _sentences(rng, zh, rng.randint(1, 2))
    if kind < 0.95:
        return f"**{_sentences(rng, zh, 1)}** *{_sentences(rng, zh, 1)}*"
    return _fill(rng.choice(FENCES), rng, zh)


class Texts:
    """Distinct paragraphs per language with their HTML, each rendered once by core.markdown,
    and bodies put together from them."""

    def __init__(self, rng: random.Random, size: int = PARAGRAPHS):
        from core.markdown import render_markdown

        self.rng = rng
        self.plain, self.special = {}, {}
        for zh in (False, True):
            plain = {_paragraph(rng, zh, True) for _ in range(size * 3 // 4)}
            special = {_paragraph(rng, zh, False) for _ in range(size // 4)}
            self.plain[zh] = [(text, str(render_markdown(text))) for text in sorted(plain)]
            self.special[zh] = [(text, str(render_markdown(text))) for text in sorted(special)]

    def body(self, zh: bool, paragraphs: int) -> tuple[str, str]:
        """A body of ``paragraphs`` paragraphs and its HTML."""
        rng, parts, special = self.rng, [], False
        for _ in range(paragraphs):
            special = not special and rng.random() < 0.3
            parts.append(rng.choice(self.special[zh] if special else self.plain[zh]))
        return "\n\n".join(p[0] for p in parts), "\n".join(p[1] for p in parts)

    def check(self, samples: int = 300) -> None:
        """Joining rendered paragraphs must equal rendering the body: checked on a sample."""
        from core.markdown import render_markdown

        for n in range(samples):
            body, html = self.body(n % 2 == 1, 1 + n % 4)
            if str(render_markdown(body)) != html:
                raise AssertionError(f"rendered parts differ from the rendered body:\n{body}")


def ensure_demo() -> None:
    """The demo users and forum (its categories are the ones filled here)."""
    from django.conf import settings

    from accounts import demo as accounts_demo
    from forum import demo as forum_demo

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    accounts_demo.load(io.StringIO())
    forum_demo.load(io.StringIO())


def ensure_members(count: int) -> list[int]:
    """``count`` members ``bench_forum_<n>`` (created if missing), most active first: a few
    ambassadors, product managers and staff among them. Returns their ids."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from accounts.models import User

    joined = timezone.now() - timedelta(days=365 * (YEARS + 1))
    new = [User(username=f"bench_forum_{n}", email=f"bench_forum_{n}@example.com",
                password=make_password(None), date_joined=joined,
                display_name=f"{NICKNAMES[n % len(NICKNAMES)]} {n}",
                language="zh-hans" if n % 5 < 2 else "en",
                is_ambassador=n % 500 == 1, is_product_manager=n % 2000 == 7,
                is_staff=n % 4000 == 3)
           for n in range(count)]
    User.objects.bulk_create(new, batch_size=5000, ignore_conflicts=True)
    ids = dict(User.objects.filter(username__startswith="bench_forum_")
               .values_list("username", "pk"))
    return [ids[f"bench_forum_{n}"] for n in range(count)]


def copy_rows(cursor, model, columns: list[str], rows) -> None:
    """COPY ``rows`` (tuples of ``columns``) into ``model``'s table; every other column gets
    its field's default (the id its sequence), so a field added later does not break the
    generator."""
    from django.db import connection
    from psycopg import sql

    others = [f for f in model._meta.concrete_fields
              if f.column not in columns and not f.primary_key]
    defaults = tuple(f.get_db_prep_save(f.get_default(), connection) for f in others)
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(model._meta.db_table),
        sql.SQL(", ").join(sql.Identifier(c) for c in columns + [f.column for f in others]))
    with cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row + defaults)


def _topic_lengths(rng: random.Random, posts: int) -> list[int]:
    longest = max(25, posts // 50)
    lengths, total = [], 0
    while total < posts:
        length = min(longest, posts - total,
                     max(1, int(LENGTH_SCALE * rng.paretovariate(LENGTH_ALPHA)) - 1))
        lengths.append(length)
        total += length
    return lengths


def _pick(rng: random.Random, members: list[int]) -> int:
    """A member, the first ones far more often: a few regulars write much of the forum."""
    return members[int(len(members) * rng.random() ** 3)]


def _switch_share(zh_share: float) -> float:
    """How often a reply in an English topic is written in Chinese. A tenth of the replies in
    Chinese topics are in English; English topics get just enough Chinese replies that
    ``zh_share`` of all posts are Chinese (topics are Chinese in the same share)."""
    return zh_share * 0.1 / (1 - zh_share)


def generate(*, posts: int, users: int = USERS, seed: int = 1, paragraphs: int = PARAGRAPHS,
             zh_share: float = ZH_SHARE, vacuum: bool = True) -> None:
    """Add ``posts`` posts in new topics, then set the counters and (``vacuum``) run
    ``VACUUM ANALYZE``, which cannot run inside a transaction.

    Preconditions: Django is set up on PostgreSQL and migrated. The demo users and categories
    are loaded here if missing."""
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from django.db.models import F, Max
    from django.utils import timezone
    from django.utils.text import slugify

    from accounts.models import User
    from bench.common import progress
    from forum.models import Category, Post, Reaction, Topic, TopicRead

    if connection.vendor != "postgresql":
        raise RuntimeError("the forum generator needs PostgreSQL (COPY)")
    rng = random.Random(seed)
    started = time.perf_counter()
    ensure_demo()
    members = ensure_members(users)
    badged = list(User.objects.filter(pk__in=members).filter(
        is_staff=True).values_list("pk", flat=True)) or list(
        User.objects.filter(is_staff=True).values_list("pk", flat=True)[:1])
    texts = Texts(rng, paragraphs)
    texts.check()
    print(f"  {len(members):,} members, paragraphs rendered and checked "
          f"({time.perf_counter() - started:.0f} s)", flush=True)

    categories = [Category.objects.get(slug=slug) for slug in CATEGORY_SHARE]
    lengths = _topic_lengths(rng, posts)
    now = timezone.now()
    span = timedelta(days=365 * YEARS).total_seconds()
    start = now - timedelta(seconds=span)
    # Posts in topic order first: starts[k] is the index of topic k's opening post.
    starts, times, topic_of, authors = array("q"), array("d"), array("q"), array("q")
    topic_category, topic_zh = [], []
    for k, t0 in enumerate(sorted(rng.random() * span for _ in lengths)):
        length = lengths[k]
        category = rng.choices(categories, weights=list(CATEGORY_SHARE.values()))[0]
        topic_category.append(category)
        topic_zh.append(rng.random() < zh_share)
        starts.append(len(times))
        # Replies come within hours or days; long topics go on for months.
        end = min(span, t0 + rng.expovariate(1 / 86400) + length * 1800)
        times.append(t0)
        times.extend(sorted(rng.uniform(t0, end) for _ in range(length - 1)))
        topic_of.extend([k] * length)
        opener = rng.choice(badged) if category.who_can_start == Category.Starters.STAFF \
            else _pick(rng, members)
        authors.append(opener)
        authors.extend(rng.choice(badged) if rng.random() < 0.01 else _pick(rng, members)
                       for _ in range(length - 1))
    # Ids follow time, as auto_now_add does: rank r in time order gets id first_post + r.
    order = sorted(range(len(times)), key=times.__getitem__)
    rank_of = array("q", bytes(8 * len(order)))
    for rank, index in enumerate(order):
        rank_of[index] = rank
    first_topic = (Topic.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
    first_post = (Post.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
    print(f"  {len(lengths):,} topics laid out ({time.perf_counter() - started:.0f} s)",
          flush=True)

    def moment(index: int):
        return start + timedelta(seconds=times[index])

    def topic_rows():
        for k, length in enumerate(lengths):
            zh = topic_zh[k]
            title = _fill(rng.choice(TITLES_ZH if zh else TITLES_EN), rng, zh)
            last = starts[k] + length - 1
            yield (first_topic + k, topic_category[k].pk, title,
                   slugify(title, allow_unicode=True)[:200] or "topic", authors[starts[k]],
                   "zh-hans" if zh else "en", moment(starts[k]), moment(last), authors[last],
                   length)

    with transaction.atomic(), connection.cursor() as cursor:
        copy_rows(cursor, Topic, ["id", "category_id", "title", "slug", "author_id", "language",
                                  "created_at", "last_posted_at", "last_poster_id",
                                  "last_post_number"], topic_rows())

    kinds, kind_weights = list(REACTION_WEIGHTS), list(REACTION_WEIGHTS.values())
    reactions = []
    switch = {True: 0.1, False: _switch_share(zh_share)}

    def post_rows(low: int, high: int):
        for rank in range(low, high):
            index = order[rank]
            k = topic_of[index]
            number = index - starts[k] + 1
            author = authors[index]
            zh = topic_zh[k] != (number > 1 and rng.random() < switch[topic_zh[k]])
            body, html = texts.body(zh, rng.choice([1, 1, 2, 2, 3, 4] if number == 1
                                                   else [1, 1, 1, 2, 2, 3]))
            reply_to = None
            if number > 2 and rng.random() < REPLY_TO_SHARE:
                reply_to = first_post + rank_of[starts[k] + rng.randrange(number - 1)]
            created = moment(index)
            counts = {}
            if rng.random() < REACTED_SHARE:
                reactors = {_pick(rng, members) for _ in range(1 + int(rng.expovariate(0.4)))}
                reactors.discard(author)
                for user in reactors:
                    kind = rng.choices(kinds, kind_weights)[0]
                    counts[kind] = counts.get(kind, 0) + 1
                    reactions.append((first_post + rank, user, kind, min(
                        now, created + timedelta(seconds=rng.expovariate(1 / 7200)))))
            yield (first_post + rank, k + first_topic, number, author, body, html, created,
                   reply_to, json.dumps(counts))

    total, posting = len(order), time.perf_counter()
    for low in range(0, total, BATCH):
        high = min(low + BATCH, total)
        with transaction.atomic(), connection.cursor() as cursor:
            copy_rows(cursor, Post, ["id", "topic_id", "number", "author_id", "body",
                                     "body_html", "created_at", "reply_to_id",
                                     "reaction_counts"], post_rows(low, high))
            copy_rows(cursor, Reaction, ["post_id", "user_id", "kind", "created_at"],
                      reactions)
        reactions.clear()
        progress("posts", high, total, posting)
    print(f"\n  {total:,} posts in {time.perf_counter() - posting:.0f} s", flush=True)

    accepted = {}
    for k, length in enumerate(lengths):
        if topic_category[k].is_qa and length > 1 and rng.random() < ACCEPTED_SHARE:
            accepted[first_topic + k] = first_post + rank_of[starts[k] + rng.randrange(1, length)]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("""
            UPDATE forum_topic SET accepted_post_id = v.post
            FROM unnest(%s::bigint[], %s::bigint[]) AS v (topic, post)
            WHERE forum_topic.id = v.topic""", [list(accepted), list(accepted.values())])
        # Posting marks the topic read up to one's post (services.topic_mark_read).
        cursor.execute("""
            INSERT INTO forum_topicread (user_id, topic_id, last_read_number, updated_at)
            SELECT author_id, topic_id, max(number), max(created_at) FROM forum_post
            WHERE topic_id >= %s AND author_id IS NOT NULL GROUP BY author_id, topic_id
            ON CONFLICT (user_id, topic_id) DO UPDATE
            SET last_read_number = GREATEST(forum_topicread.last_read_number,
                                            EXCLUDED.last_read_number)""", [first_topic])
        added_topics = Counter(category.pk for category in topic_category)
        added_posts = Counter()
        for k, length in enumerate(lengths):
            added_posts[topic_category[k].pk] += length
        for pk, count in added_topics.items():
            Category.objects.filter(pk=pk).update(topic_count=F("topic_count") + count,
                                                  post_count=F("post_count") + added_posts[pk])
        for statement in connection.ops.sequence_reset_sql(
                no_style(), [User, Topic, Post, Reaction, TopicRead]):
            cursor.execute(statement)
    print(f"  {len(accepted):,} accepted answers, read states, counters", flush=True)
    if vacuum:
        with connection.cursor() as cursor:
            for model in (Topic, Post, Reaction, TopicRead, Category, User):
                cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
    print(f"  done in {time.perf_counter() - started:.0f} s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=1_000_000,
                        help="posts wanted in the database (only the missing ones are added)")
    parser.add_argument("--users", type=int, default=USERS, help="members who write them")
    parser.add_argument("--seed", type=int, default=1, help="random seed")
    parser.add_argument("--zh-share", type=float, default=ZH_SHARE,
                        help="share of posts (and topics) in Chinese")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "okxcommunity.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/okx_bench_forum")
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/13")
    os.environ.setdefault("CACHE_KEY_PREFIX", "okx_bench_forum")
    # The demo notifies its users: no worker listens to this bench's broker.
    os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "1")
    from bench.common import create_database

    create_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from forum.models import Post

    if connection.vendor != "postgresql":
        sys.exit("DATABASE_URL must point at PostgreSQL")
    load_before = os.getloadavg()
    call_command("migrate", verbosity=0, interactive=False)
    missing = args.posts - Post.objects.count()
    if missing > 0:
        print(f"database {connection.settings_dict['NAME']}: generating {missing:,} posts")
        started = time.perf_counter()
        generate(posts=missing, users=args.users, seed=args.seed, zh_share=args.zh_share)
        elapsed = time.perf_counter() - started
        print(f"generated {missing:,} posts in {elapsed:.0f} s ({elapsed / 60:.1f} min, "
              f"{missing / elapsed:,.0f} posts/s); target for 1,000,000: < 600 s")
    else:
        print(f"database {connection.settings_dict['NAME']} already holds "
              f"{args.posts - missing:,} posts")
    print(f"load average (1 min) before: {load_before[0]:.2f}, after: {os.getloadavg()[0]:.2f} "
          f"on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
