"""Demo blog: the five seed categories, tags, and six articles in English and Chinese (market
analysis, a phishing guide, a product update, an industry piece, an account-security guide
and a featured maintenance announcement), with a few comments and a reply; the "Blog editors"
group may edit articles in the admin.

Written through the blog's services. Idempotent: categories and tags are found by slug,
articles by their English slug, and only a new article gets its translation and comments."""

import re
from datetime import timedelta

from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from accounts.models import User
from blog.comments import comment_create
from blog.models import Article, Category, Tag
from blog.services import article_create, article_translation_save

CATEGORIES = [
    # slug, English, Chinese, description (en, zh)
    ("market-analysis", "Market analysis", "市场分析",
     ("Weekly and monthly reads of the crypto markets by OKX analysts.",
      "OKX 分析师对加密市场的周度与月度解读。")),
    ("product-updates", "Product updates", "产品动态",
     ("What is new in the OKX app, web and API.", "OKX App、网页版与 API 的最新变化。")),
    ("security", "Security", "安全",
     ("Guides to keep your account and funds safe.", "保护账户与资产安全的实用指南。")),
    ("industry-trends", "Industry trends", "行业趋势",
     ("Regulation, technology and where the industry is heading.",
      "监管、技术与行业的发展方向。")),
    ("announcements", "Announcements", "公告",
     ("Maintenance, listings and official notices.", "系统维护、上线与官方通知。")),
]

TAGS = [
    ("bitcoin", "Bitcoin", "比特币"), ("ethereum", "Ethereum", "以太坊"),
    ("phishing", "Phishing", "钓鱼诈骗"), ("account-security", "Account security", "账户安全"),
    ("trading-bots", "Trading bots", "交易机器人"), ("stablecoins", "Stablecoins", "稳定币"),
    ("regulation", "Regulation", "监管"), ("maintenance", "Maintenance", "系统维护"),
]

ARTICLES = [
    {
        "category": "market-analysis", "authors": ["analyst_chen"], "days_ago": 2,
        "tags": ["bitcoin"], "featured": False,
        "en": {
            "title": "Bitcoin after the halving: what the first six months tell us",
            "slug": "bitcoin-after-the-halving",
            "summary": "Miner revenue, exchange balances and funding rates point to a market "
                       "that is calmer than past cycles, but not a quieter one.",
            "body": """Every halving cuts the new supply of bitcoin in half, and every time the
same question follows: does the price follow? Six months after the latest one, the data give
a more nuanced answer than the headlines.

## Miners adjusted faster than expected

Hash rate dipped for about three weeks after the halving and then recovered to a new high.
Less efficient machines were switched off, and large miners with cheap power bought them.
Miner selling, measured by coins leaving known miner wallets, is **lower** than in the six
months before the event: the pressure many feared did not come.

## Coins keep leaving exchanges

Balances held on exchanges fell by roughly 4% over the period. Long-term holders, wallets that
have not moved coins for more than 155 days, now hold a record share of supply. Historically
this is a slow signal, not a timing tool, but it rarely marks a top.

## Leverage is back, carefully

Perpetual funding rates turned positive in most weeks, yet stayed well below the extremes of
previous cycles. Open interest grew with price rather than ahead of it.

### What we are watching

- Funding rates above 0.05% per eight hours for several days in a row
- A rise in exchange inflows from long-term holders
- Spot ETF flows turning negative for more than two weeks

*This article is market commentary, not investment advice. Trade with sizes you can afford to
lose.*""",
        },
        "zh": {
            "title": "减半之后的比特币：前六个月告诉了我们什么",
            "slug": "bi-te-bi-jian-ban-zhi-hou",
            "summary": "矿工收入、交易所余额与资金费率显示，"
                       "这一轮市场比以往周期更冷静，但并不平淡。",
            "body": """每一次减半都会让比特币的新增供应减少一半，
随之而来的总是同一个问题：价格会跟着涨吗？
在最近一次减半六个月后，数据给出的答案比新闻标题更复杂。

## 矿工的调整比预期更快

减半后算力下降了大约三周，随后恢复并创出新高。效率较低的矿机被关停，拥有廉价电力的大型矿企将其收购。
以流出已知矿工钱包的币量衡量，矿工抛售比减半前六个月**更少**，许多人担心的抛压并没有出现。

## 币仍在持续流出交易所

这段时间交易所持有的余额下降了约 4%。超过 155 天未动的长期持有者钱包，持有的供应占比创下新高。
从历史上看，这是一个缓慢的信号，不适合用来择时，但它很少出现在顶部。

## 杠杆回来了，但比较克制

大多数周份永续合约资金费率为正，但远低于以往周期的极端水平。持仓量随价格增长，而不是领先于价格。

### 我们关注的信号

- 资金费率连续数日高于每八小时 0.05%
- 长期持有者流入交易所的数量上升
- 现货 ETF 资金连续两周以上净流出

*本文为市场评论，不构成投资建议。请只用能够承受损失的仓位进行交易。*""",
        },
        "comments": [("alice", "Great breakdown. The exchange-balance chart is the one I "
                               "keep coming back to.",
                      [("xiaoming", "同意，长期持有者的占比很说明问题。")])],
    },
    {
        "category": "security", "authors": ["admin"], "days_ago": 5,
        "tags": ["phishing", "account-security"], "featured": False,
        "en": {
            "title": "How to spot a phishing message pretending to be OKX",
            "slug": "spot-phishing-messages",
            "summary": "Fake support agents, urgent emails and look-alike websites: the five "
                       "signs that give a scam away, and what to do if you clicked.",
            "body": """Phishing is still the most common way crypto accounts are stolen. The
messages look more convincing every year, but they almost always share the same tells.

## Five signs of a scam

1. **Urgency.** "Your account will be frozen in 30 minutes" is designed to make you act before
   you think. OKX never sets deadlines like this by email or SMS.
2. **A request for codes.** Nobody from OKX will ever ask for your password, your 2FA codes or
   your recovery phrase: not support, not the community team, not "security".
3. **A look-alike address.** Check the domain letter by letter. `okx-support.help` and
   `0kx.com` are not ours. Bookmark the official site and use only the bookmark.
4. **A direct message first.** Support does not start conversations on Telegram, WhatsApp or
   Discord. If someone messages you first, it is not us.
5. **Sending funds to "verify".** No legitimate process asks you to send crypto to unlock,
   verify or protect your account.

## If you already clicked

- Change your password from the app, not from the link you received
- Reset your authenticator and revoke API keys you did not create
- Turn on the withdrawal allowlist so funds can only go to addresses you approved
- Open a ticket from the **Support** page in the community: the agent's name carries the
  *Official* badge

Report the message in the community forum's Security category so others are warned too.""",
        },
        "zh": {
            "title": "如何识别冒充 OKX 的钓鱼信息",
            "slug": "shi-bie-diao-yu-xin-xi",
            "summary": "假冒客服、紧急邮件和仿冒网站：识破骗局的五个信号，以及误点之后该怎么办。",
            "body": """钓鱼仍然是加密账户被盗最常见的方式。
这些信息一年比一年逼真，但几乎总有相同的破绽。

## 骗局的五个信号

1. **制造紧迫感。**“您的账户将在 30 分钟后被冻结”是为了让你来不及思考就行动。
   OKX 不会通过邮件或短信设定这样的期限。
2. **索要验证码。**OKX 的任何人都不会向您索要密码、二次验证码或助记词：
   客服不会，社区团队不会，“安全部门”也不会。
3. **仿冒网址。**逐个字母核对域名。`okx-support.help` 和 `0kx.com` 都不是我们的网站。
   请收藏官方网址，并只通过收藏夹访问。
4. **主动私信。**客服不会在 Telegram、WhatsApp 或 Discord 上主动联系您。
   如果有人先私信您，那一定不是我们。
5. **要求转账“验证”。**任何正规流程都不会要求您转入加密货币来解锁、验证或保护账户。

## 如果已经点击了链接

- 在 App 内修改密码，不要使用收到的链接
- 重置身份验证器，并撤销不是您创建的 API 密钥
- 开启提币地址白名单，让资金只能转到您批准的地址
- 在社区的**支持**页面提交工单：客服的名字旁会显示*官方*徽章

请在社区论坛的安全版块举报这条信息，提醒其他用户。""",
        },
        "comments": [("xiaoming", "上周刚收到一条“账户冻结”的短信，果然是仿冒网址。"
                                  "感谢提醒！", [])],
    },
    {
        "category": "product-updates", "authors": ["pm_lin"], "days_ago": 9,
        "tags": ["trading-bots"], "featured": False,
        "en": {
            "title": "Grid bots now follow the price with trailing ranges",
            "slug": "grid-bots-trailing-ranges",
            "summary": "A grid no longer stops when the price leaves its range: it can move "
                       "with the trend, within limits you set.",
            "body": """Grid bots buy low and sell high inside a price range. Their weakness has
always been a strong trend: once the price leaves the range, the bot sits idle or holds a bag.
Starting this week, spot grids can **trail** the price.

## How trailing works

When the price crosses the top of the range, the bot sells its lowest grid and opens a new one
above, so the whole range moves up by one step. Downward trailing works the same way and is
off by default.

## Limits you control

- **Trailing ceiling:** the highest price the range may reach
- **Stop trailing below:** a floor under which the range never moves
- **Maximum moves per hour**, so a sudden wick does not drag the grid along

## Good to know

Trailing grids pay the trading fee of each move. On calm, range-bound markets a classic grid
remains cheaper. Existing bots are not changed; turn trailing on from a bot's settings.

Tell us what you think in the Feedback board: the product team reads every idea.""",
        },
        "zh": {
            "title": "网格机器人现已支持移动区间",
            "slug": "wang-ge-ji-qi-ren-yi-dong-qu-jian",
            "summary": "价格离开区间后，网格不再停止运行：它可以在您设定的范围内跟随趋势移动。",
            "body": """网格机器人在价格区间内低买高卖，它的弱点一直是单边行情：价格一旦离开区间，
机器人要么闲置，要么被套。从本周起，现货网格可以**跟随**价格移动。

## 移动区间如何运作

当价格突破区间上沿时，机器人会卖出最低一格并在上方新开一格，整个区间因此上移一格。
向下移动的逻辑相同，默认关闭。

## 由您掌控的限制

- **移动上限：**区间可以到达的最高价格
- **停止移动下限：**区间不会低于这个价格
- **每小时最多移动次数**，避免一根插针就把网格拖走

## 注意事项

每次移动都会产生交易手续费。在平稳的震荡行情中，传统网格依然更省成本。
现有机器人不会被修改，可在机器人设置中开启移动区间。

欢迎在反馈版块告诉我们您的想法：产品团队会阅读每一条建议。""",
        },
        "comments": [],
    },
    {
        "category": "industry-trends", "authors": ["analyst_chen", "admin"], "days_ago": 14,
        "tags": ["stablecoins", "regulation"], "featured": False,
        "en": {
            "title": "Stablecoins in 2026: reserves, rules and what changes for users",
            "slug": "stablecoins-in-2026",
            "summary": "New reserve rules in several regions make stablecoins more boring, "
                       "which is exactly the point.",
            "body": """Stablecoins settle more value each month than many card networks. With
that weight came regulation, and 2026 is the first year in which the major regions apply
their rules at the same time.

## Reserves you can check

Issuers now publish monthly attestations with the breakdown of their reserves: cash, short
government bills and little else. Riskier assets such as commercial paper have nearly
disappeared from the largest issuers.

## What changes on exchanges

- Some stablecoins are no longer offered to users in regions where the issuer has no licence
- Redemption terms are clearer: who may redeem, how fast and at what cost
- Yield on stablecoins is separated from the coin itself and offered as a distinct product

## What does not change

A stablecoin is still a claim on its issuer. Diversifying across issuers and keeping long-term
savings in self-custody remain good habits.

We will publish region-specific notes in the Announcements category when a listing changes.""",
        },
        "zh": {
            "title": "2026 年的稳定币：储备、规则与用户的变化",
            "slug": "2026-nian-de-wen-ding-bi",
            "summary": "多个地区的新储备规则让稳定币变得更“无聊”，而这正是监管的目的。",
            "body": """稳定币每月结算的价值已超过许多银行卡网络。体量带来了监管，
2026 年是主要地区首次同时执行各自规则的一年。

## 可以核查的储备

发行方现在每月发布鉴证报告，列出储备构成：现金、短期国债，几乎没有其他资产。
商业票据等风险更高的资产已基本从最大的发行方中消失。

## 交易所上的变化

- 在发行方未获牌照的地区，部分稳定币不再向用户提供
- 赎回条款更清晰：谁可以赎回、多快到账、成本多少
- 稳定币收益与币本身分离，作为独立产品提供

## 不变的部分

稳定币仍然是对发行方的债权。分散持有不同发行方的稳定币、把长期储蓄放在自托管钱包中，依然是好习惯。

上线情况发生变化时，我们会在公告版块发布各地区的说明。""",
        },
        "comments": [],
    },
    {
        "category": "announcements", "authors": ["admin"], "days_ago": 1,
        "tags": ["maintenance"], "featured": True,
        "en": {
            "title": "Scheduled maintenance: matching engine upgrade on Sunday",
            "slug": "matching-engine-upgrade-sunday",
            "summary": "Spot and futures trading pause for about 40 minutes on Sunday at "
                       "02:00 UTC while we upgrade the matching engine.",
            "body": """We will upgrade the spot and futures matching engine on **Sunday at 02:00
UTC**. The work takes about 40 minutes.

## During the maintenance

- Placing, changing and cancelling orders is paused for spot, margin and futures
- Open orders stay on the book and are not cancelled
- Deposits and withdrawals continue normally
- Funding fees are settled as usual at 00:00 and 08:00 UTC

## Trading bots

Grid and DCA bots pause with the engine and resume by themselves when trading reopens. No
action is needed.

## Why we do this

The new engine handles order bursts with lower latency and prepares the ground for new order
types announced later this year.

Follow this page or the community's Announcements forum for the all-clear.""",
        },
        "zh": {
            "title": "系统维护公告：周日升级撮合引擎",
            "slug": "zhou-ri-sheng-ji-cuo-he-yin-qing",
            "summary": "UTC 时间周日 02:00，现货与合约交易将暂停约 40 分钟，用于升级撮合引擎。",
            "body": """我们将于 **UTC 时间周日 02:00** 升级现货与合约撮合引擎，预计耗时约 40 分钟。

## 维护期间

- 现货、杠杆与合约的下单、改单和撤单将暂停
- 未成交订单保留在订单簿中，不会被撤销
- 充值与提币正常进行
- 资金费用照常在 UTC 00:00 与 08:00 结算

## 交易机器人

网格与定投机器人会随引擎暂停，并在交易恢复后自动继续运行，无需任何操作。

## 升级原因

新引擎在订单高峰时延迟更低，也为今年晚些时候将公布的新订单类型做好准备。

请关注本页面或社区的公告论坛，获取维护完成的通知。""",
        },
        "comments": [],
    },
    {
        "category": "security", "authors": ["analyst_chen"], "days_ago": 20,
        "tags": ["account-security"], "featured": False,
        "en": {
            "title": "Five settings that make your account much harder to steal",
            "slug": "five-account-security-settings",
            "summary": "Ten minutes in the security settings stop most account takeovers.",
            "body": """Most stolen accounts had one thing in common: a setting that was never
turned on. Here are the five that matter most, in order.

## 1. An authenticator app instead of SMS

SIM-swap attacks move your phone number to a criminal's card. An authenticator app (or a
security key) cannot be moved that way.

## 2. A withdrawal allowlist

With the allowlist on, funds can only leave to addresses you approved, and a new address waits
24 hours before it can be used. A thief with your password still cannot withdraw.

## 3. An anti-phishing code

Choose a word that appears in every genuine email from OKX. An email without it is fake.

## 4. API keys with the least rights

Trading bots need trading rights, never withdrawal rights. Bind keys to your server's IP
address and delete the ones you no longer use.

## 5. A device review once a month

Log out the sessions you do not recognise, and change your password if you find one.

Questions? Ask in the forum's Q&A category: ambassadors and staff answer there daily.""",
        },
        "zh": {
            "title": "五个设置，让你的账户更难被盗",
            "slug": "wu-ge-an-quan-she-zhi",
            "summary": "在安全设置里花十分钟，就能挡住大多数盗号。",
            "body": """大多数被盗账户都有一个共同点：某个设置从未开启。
以下是最重要的五项，按优先级排列。

## 1. 用身份验证器代替短信

SIM 卡劫持会把你的手机号转到骗子的卡上。身份验证器（或安全密钥）无法通过这种方式被转移。

## 2. 提币地址白名单

开启白名单后，资金只能转到你批准的地址，新地址需要等待 24 小时才能使用。
即使盗号者知道你的密码，也无法提币。

## 3. 防钓鱼码

设置一个会出现在每封 OKX 官方邮件中的词。没有这个词的邮件就是假的。

## 4. 最小权限的 API 密钥

交易机器人只需要交易权限，永远不需要提币权限。将密钥绑定到服务器 IP，并删除不再使用的密钥。

## 5. 每月检查一次登录设备

退出你不认识的会话；如果发现可疑会话，请立即修改密码。

有疑问？欢迎在论坛问答版块提问：大使和官方人员每天都会在那里解答。""",
        },
        "comments": [("alice", "The anti-phishing code is underrated. Turned it on today.",
                      [("analyst_chen", "Glad it helped! Add the allowlist next.")])],
    },
]


# A line that starts a Markdown block (heading, list item, blank line) rather than going on.
BLOCK_START = re.compile(r"^\s*(#|[-*] |\d+\. |$)")


def _unwrap(text: str) -> str:
    """The text above is wrapped to fit the source; the renderer keeps line breaks, so lines
    that go on a paragraph or list item are joined back (without a space between Chinese)."""
    lines: list[str] = []
    for line in text.split("\n"):
        if lines and lines[-1].strip() and not BLOCK_START.match(line):
            ascii_join = lines[-1][-1].isascii() and line.strip()[:1].isascii()
            lines[-1] += (" " if ascii_join else "") + line.strip()
        else:
            lines.append(line)
    return "\n".join(lines)


def _text(fields: dict[str, str]) -> dict[str, str]:
    return {**fields, "body": _unwrap(fields["body"])}


def _translated(model, slug: str, names: dict[str, dict[str, str]]):
    row = model.objects.filter(slug=slug).first()
    if row is not None:
        return row
    row = model(slug=slug)
    for language, fields in names.items():
        row.set_current_language(language)
        for field, value in fields.items():
            setattr(row, field, value)
    row.save()
    return row


def _editors_group(users) -> None:
    group, _created = Group.objects.get_or_create(name="Blog editors")
    group.permissions.set(Permission.objects.filter(content_type__app_label="blog"))
    for user in users:
        user.groups.add(group)


def load(stdout) -> None:
    users = {user.username: user for user in User.objects.filter(
        username__in=["admin", "analyst_chen", "pm_lin", "alice", "xiaoming"])}
    if len(users) < 5:
        stdout.write("Blog demo skipped: load the accounts demo first.")
        return
    categories = {slug: _translated(Category, slug, {
        "en": {"name": en, "description": about[0]}, "zh-hans": {"name": zh,
                                                                 "description": about[1]}})
        for slug, en, zh, about in CATEGORIES}
    for position, (slug, *_rest) in enumerate(CATEGORIES):
        Category.objects.filter(slug=slug).update(position=position)
    tags = {slug: _translated(Tag, slug, {"en": {"name": en}, "zh-hans": {"name": zh}})
            for slug, en, zh in TAGS}
    _editors_group([users["analyst_chen"], users["pm_lin"]])
    created = 0
    for spec in ARTICLES:
        if Article.objects.filter(translations__language_code="en",
                                  translations__slug=spec["en"]["slug"]).exists():
            continue
        article = article_create(
            category=categories[spec["category"]],
            authors=[users[name] for name in spec["authors"]],
            tags=[tags[slug] for slug in spec["tags"]], status=Article.Status.PUBLISHED,
            published_at=timezone.now() - timedelta(days=spec["days_ago"]),
            is_featured=spec["featured"], **_text(spec["en"]))
        article_translation_save(article=article, language="zh-hans", **_text(spec["zh"]))
        for author, body, replies in spec["comments"]:
            parent = comment_create(article=article, author=users[author], body=body)
            for reply_author, reply in replies:
                comment_create(article=article, author=users[reply_author], body=reply,
                               parent=parent)
        created += 1
    stdout.write(f"Blog: {created} new articles ({Article.objects.count()} in all).")
