"""Demo taxonomy, product teams, routing, an Analyst group and a board with real-looking ideas."""

from django.contrib.auth.models import Group, Permission

from accounts.models import User
from feedback.models import (
    FeedbackItem,
    ProductArea,
    RoutingRule,
    Tag,
    TagRule,
    Team,
)
from feedback.services import comment_create, feedback_submit, item_set_status, vote_toggle

AREAS = [
    ("trading", "Trading", "交易"),
    ("mobile-app", "Mobile app", "移动应用"),
    ("wallet", "Wallet & payments", "钱包与支付"),
    ("security", "Security", "安全"),
    ("account", "Account", "账户"),
]

TAGS = [
    # slug, English, Chinese, keyword rules
    ("withdrawal", "Withdrawals", "提现", ["withdrawal", "withdraw", "提现", "提币", "到账"]),
    ("deposit", "Deposits", "充值", ["deposit", "充值", "充币"]),
    ("fees", "Fees", "手续费", ["fee", "fees", "手续费", "费率"]),
    ("app-crash", "App crashes", "应用闪退", ["crash", "crashes", "闪退", "崩溃"]),
    ("login", "Login", "登录", ["login", "log in", "sign in", "登录", "登陆"]),
    ("kyc", "Identity verification", "身份认证", ["kyc", "verification", "实名", "身份认证"]),
    ("trading-bots", "Trading bots", "交易机器人", ["grid bot", "bot", "网格", "机器人"]),
    ("api", "API", "API", ["api", "websocket", "接口"]),
    ("dark-mode", "Dark mode", "深色模式", ["dark mode", "深色模式", "夜间模式"]),
    ("account-security", "Account security", "账户安全",
     ["hacked", "stolen", "unauthorized", "2fa", "被盗", "盗号", "两步验证"]),
]
TAG_REGEXES = {"withdrawal": [r"usdt.{0,20}(trc|erc)-?20"]}

TEAMS = [
    # slug, name, triage, owns tags, owns areas
    ("trading", "Trading", False, ["trading-bots", "api", "fees"], ["trading"]),
    ("mobile", "Mobile app", False, ["app-crash", "dark-mode"], ["mobile-app"]),
    ("wallet", "Wallet & payments", False, ["withdrawal", "deposit"], ["wallet"]),
    ("security", "Security", False, ["account-security"], ["security"]),
    ("customer-service", "Customer service", True, ["login", "kyc"], ["account"]),
]

IDEAS = [
    # author, language, area, title, body, status, extra voters
    ("alice", "en", "mobile-app", "Dark mode for the web trading view",
     "The app has dark mode but the web trading view is blinding at night. Please add it.",
     FeedbackItem.Status.PLANNED, ["xiaoming", "ambassador_sam"]),
    ("xiaoming", "zh-hans", "wallet", "USDT 提现到账太慢",
     "用 TRC-20 提现 USDT，经常要等 30 分钟以上才到账，希望能显示预计到账时间。",
     FeedbackItem.Status.UNDER_REVIEW, ["alice"]),
    ("ambassador_sam", "en", "trading", "Grid bot: let me set a stop-loss per grid",
     "Grid bots are great, but I want a stop-loss on each grid, not only on the whole bot.",
     FeedbackItem.Status.IN_PROGRESS, ["alice", "xiaoming"]),
    ("alice", "en", "trading", "Show fees before I confirm an order",
     "I would love to see the exact fee in the order confirmation, not only after the fill.",
     FeedbackItem.Status.SHIPPED, ["ambassador_sam"]),
    ("xiaoming", "zh-hans", "mobile-app", "安卓版更新后闪退",
     "升级到最新版本后，打开行情页面就闪退，手机型号小米 13。",
     FeedbackItem.Status.OPEN, []),
]


def load(stdout) -> None:
    areas = {}
    for slug, en, zh in AREAS:
        area, _created = ProductArea.objects.get_or_create(slug=slug)
        _translate(area, en, zh)
        areas[slug] = area
    tags = {}
    for slug, en, zh, keywords in TAGS:
        tag, _created = Tag.objects.get_or_create(slug=slug)
        _translate(tag, en, zh)
        for keyword in keywords:
            TagRule.objects.get_or_create(tag=tag, pattern=keyword,
                                          defaults={"kind": TagRule.Kind.KEYWORD})
        for pattern in TAG_REGEXES.get(slug, []):
            TagRule.objects.get_or_create(tag=tag, pattern=pattern,
                                          defaults={"kind": TagRule.Kind.REGEX})
        tags[slug] = tag
    position = 0
    for slug, name, triage, owned_tags, owned_areas in TEAMS:
        team, _created = Team.objects.get_or_create(slug=slug, defaults={
            "name": name, "is_triage": triage})
        for tag_slug in owned_tags:
            position += 1
            RoutingRule.objects.get_or_create(tag=tags[tag_slug], team=team,
                                              defaults={"position": position})
        for area_slug in owned_areas:
            position += 1
            RoutingRule.objects.get_or_create(product_area=areas[area_slug], team=team,
                                              defaults={"position": position})

    analysts, _created = Group.objects.get_or_create(name="Analyst")
    analysts.permissions.add(Permission.objects.get(codename="export_feedback"))
    analysts.user_set.add(*User.objects.filter(username="analyst_chen"))

    if not FeedbackItem.objects.exists():
        _load_ideas()
    stdout.write(f"Feedback: {FeedbackItem.objects.count()} items, "
                 f"{Team.objects.count()} product teams.")


def _translate(obj, en: str, zh: str) -> None:
    for language, name in (("en", en), ("zh-hans", zh)):
        obj.set_current_language(language)
        obj.name = name
    obj.save()


def _load_ideas() -> None:
    users = {u.username: u for u in User.objects.all()}
    manager = users["pm_lin"]
    for author, language, area, title, body, status, voters in IDEAS:
        item = feedback_submit(source=FeedbackItem.Source.WEB, author=users[author],
                               title=title, body=body, language=language, product_area=area)
        for voter in voters:
            vote_toggle(item=item, user=users[voter])
        if status != FeedbackItem.Status.OPEN:
            item_set_status(item=item, status=status, by=manager,
                            response="Thanks! We are on it." if language == "en"
                            else "感谢反馈，我们正在跟进。")
    comment_create(item=FeedbackItem.objects.get(title__startswith="Dark mode"),
                   author=users["xiaoming"], body="+1，晚上看盘太刺眼了。")
