"""Demo forum: the four seed sections with their categories, and realistic English and
Chinese topics with replies, reactions, an accepted answer and a pinned announcement.

Everything is written through the forum's services, like users would. Idempotent: sections and
categories are found by slug, topics by category and title, and only a new topic gets its
replies, reactions and staff actions."""

from accounts.models import User
from forum.answers import answer_accept
from forum.models import Category
from forum.reactions import reaction_toggle
from forum.services import antispam_lifted, post_reply, topic_create
from forum.staff import topic_pin

STAFF = Category.Starters.STAFF
SECTIONS = [
    # slug, English, Chinese, icon, colour, who may start topics, categories:
    #   (slug, English, Chinese, description (en, zh), is_qa)
    ("getting-started", "Getting started", "新手入门", "🚀", "#10b981", "everyone", [
        ("introductions", "Introductions", "自我介绍",
         ("Say hello and tell us how you trade.", "打个招呼，聊聊你的交易经历。"), False),
        ("questions-answers", "Questions & answers", "问答",
         ("Ask anything about using OKX; the best reply is marked as the answer.",
          "关于使用 OKX 的任何问题都可以问；最佳回复会被标记为答案。"), True),
    ]),
    ("trading-strategies", "Trading strategies", "交易策略", "📈", "#f59e0b", "everyone", [
        ("spot-futures", "Spot & futures", "现货与合约",
         ("Share setups, risk management and lessons learned.", "分享交易思路、风控与经验教训。"),
         False),
        ("trading-bots", "Trading bots", "交易机器人",
         ("Grid, DCA and signal bots: settings that work.", "网格、定投与信号机器人的参数心得。"),
         False),
    ]),
    ("platform-features", "Platform features", "平台功能", "🧩", "#3b82f6", "everyone", [
        ("app-and-web", "App & web", "应用与网页",
         ("Tips and questions about the app and the website.", "关于 App 与网页版的技巧和问题。"),
         False),
        ("api", "API", "API",
         ("REST and WebSocket API, SDKs and rate limits.", "REST 与 WebSocket 接口、SDK 与限频。"),
         False),
    ]),
    ("announcements", "Announcements", "公告", "📣", "#ef4444", STAFF, [
        ("official-news", "Official news", "官方动态",
         ("Listings, maintenance and product news from the OKX team.",
          "来自 OKX 团队的上币、维护与产品动态。"), False),
    ]),
]

TOPICS = [
    # category, author, language, title, body, replies as (author, body),
    # reactions as (post number, user, kind), accepted post number, pinned globally
    ("introductions", "alice", "en", "Hi from Lisbon: swing trader, new to futures",
     "Hello everyone! I have traded spot for two years and I am starting to learn futures. "
     "Looking forward to learning from you all.",
     [("ambassador_sam", "Welcome Alice! Start with small size and isolated margin, and read "
                         "the *Spot & futures* pinned guide."),
      ("xiaoming", "欢迎！合约记得先用小仓位练手。")],
     [(1, "ambassador_sam", "heart"), (2, "alice", "like")], None, False),
    ("introductions", "xiaoming", "zh-hans", "大家好，我是来自杭州的小明",
     "刚开始接触加密货币，主要做现货定投，希望在这里多学习。",
     [("pm_lin", "欢迎小明！有产品上的建议也欢迎在平台功能版块反馈。")],
     [(1, "alice", "like")], None, False),
    ("questions-answers", "alice", "en", "How long does a USDT withdrawal on TRC-20 take?",
     "I withdrew 200 USDT on TRC-20 twenty minutes ago and it still shows *processing*. "
     "Is this normal?",
     [("xiaoming", "Mine usually take 5–10 minutes, sometimes longer at busy times."),
      ("ambassador_sam", "Withdrawals need 20 network confirmations on TRON; when the "
                         "network is busy that is up to 30 minutes. You can follow the "
                         "transaction hash from *Assets → History*.")],
     [(3, "alice", "like"), (3, "xiaoming", "like"), (2, "alice", "like")], 3, False),
    ("questions-answers", "xiaoming", "zh-hans", "手机验证码收不到怎么办？",
     "换了新手机号以后，登录时一直收不到短信验证码，请问该怎么处理？",
     [("ambassador_sam", "可以先试试语音验证码；如果还不行，请在支持中心提交工单更换手机号。")],
     [(2, "xiaoming", "like")], None, False),
    ("spot-futures", "ambassador_sam", "en", "My risk rules for futures: 1% per trade",
     "After blowing up an account in 2021 I follow three rules: risk at most 1% per trade, "
     "always set a stop-loss when opening, and never add to a losing position.",
     [("alice", "The third rule is the hardest one for me. Thanks for sharing!"),
      ("xiaoming", "很实用，我也准备按 1% 的规则来。")],
     [(1, "alice", "rocket"), (1, "xiaoming", "like"), (1, "pm_lin", "like")], None, False),
    ("trading-bots", "xiaoming", "zh-hans", "网格机器人区间怎么设置比较合理？",
     "BTC 现在波动比较大，网格区间设宽了收益低，设窄了容易突破，大家一般怎么设置？",
     [("ambassador_sam", "我一般参考最近 30 天的高低点，再留 5% 左右的余量。"),
      ("alice", "I use the AI parameters as a starting point and then widen the range a bit.")],
     [(2, "xiaoming", "like"), (1, "alice", "wow")], None, False),
    ("app-and-web", "alice", "en", "Tip: price alerts on the Apple Watch",
     "Did you know the app can send price alerts to your watch? Turn on notifications for "
     "the OKX app in the Watch app and set an alert from any market page.",
     [("pm_lin", "Thanks Alice! We are also adding alerts for funding rates soon.")],
     [(1, "ambassador_sam", "like"), (2, "alice", "heart")], None, False),
    ("api", "ambassador_sam", "en", "WebSocket keeps disconnecting after 30 seconds",
     "My bot subscribes to the tickers channel but the connection drops after about 30 "
     "seconds. Python, websockets 12.",
     [("admin", "The server closes idle connections: send the text `ping` every 25 "
                "seconds and expect `pong` back.")],
     [(2, "ambassador_sam", "like")], None, False),
    ("official-news", "admin", "en", "Welcome to the OKX Community forum",
     "This is the place to ask questions, share strategies and tell us what to build next. "
     "Please read the rules of each category, be kind, and never share your API keys or "
     "verification codes.",
     [], [(1, "alice", "like"), (1, "xiaoming", "heart")], None, True),
    ("official-news", "pm_lin", "zh-hans", "系统维护通知：本周六 08:00–09:00",
     "为提升系统性能，我们将于本周六 08:00–09:00（UTC+8）进行维护，期间充提币暂停，交易不受影响。",
     [], [(1, "xiaoming", "like")], None, False),
]


# The demo writes a dozen posts per user in a second and may run again after a database
# reset: the flood limits are for people, so they are lifted while it loads.
@antispam_lifted()
def load(stdout) -> None:
    categories = _load_categories()
    users = {user.username: user for user in User.objects.filter(
        username__in={"alice", "xiaoming", "ambassador_sam", "pm_lin", "admin"})}
    created = 0
    for slug, author, language, title, body, replies, reactions, accepted, pin in TOPICS:
        category = categories[slug]
        if category.topics.filter(title=title).exists():
            continue
        topic = topic_create(category=category, author=users[author], title=title, body=body,
                             language=language)
        posts = {1: topic.posts.get(number=1)}
        for reply_author, reply_body in replies:
            post = post_reply(topic=topic, author=users[reply_author], body=reply_body)
            posts[post.number] = post
        for number, username, kind in reactions:
            reaction_toggle(post=posts[number], user=users[username], kind=kind)
        if accepted:
            answer_accept(post=posts[accepted], by=users[author])
        if pin:
            topic_pin(topic=topic, by=users["admin"], pinned=True, globally=True)
        created += 1
    stdout.write(f"Forum: {len(categories)} categories, {created} new demo topics.")


def _load_categories() -> dict[str, Category]:
    categories = {}
    for position, (slug, en, zh, icon, color, starters, children) in enumerate(SECTIONS):
        section = _category(slug=slug, names=(en, zh), descriptions=("", ""), parent=None,
                            position=position, icon=icon, color=color, who_can_start=starters)
        for child_position, (child_slug, child_en, child_zh, descriptions, is_qa) in enumerate(
                children):
            categories[child_slug] = _category(
                slug=child_slug, names=(child_en, child_zh), descriptions=descriptions,
                parent=section, position=child_position, icon="", color=color,
                who_can_start=starters, is_qa=is_qa)
    return categories


def _category(*, slug: str, names: tuple[str, str], descriptions: tuple[str, str],
              **fields) -> Category:
    category, _created = Category.objects.get_or_create(slug=slug, defaults=fields)
    for language, name, description in zip(("en", "zh-hans"), names, descriptions, strict=True):
        category.set_current_language(language)
        category.name, category.description = name, description
    category.save()
    return category
