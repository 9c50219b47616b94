"""Demo support desk: categories, teams, SLA targets, classification rules, canned responses,
agent and supervisor groups, and a few tickets."""

from django.contrib.auth.models import Group, Permission

from accounts.models import User
from tickets.models import (
    CannedResponse,
    Category,
    ClassificationRule,
    SLAPolicy,
    SupportTeam,
    Ticket,
)
from tickets.services import message_post, ticket_change, ticket_create

TEAMS = [("account-care", "Account care"), ("payments", "Payments desk"),
         ("trust-safety", "Trust & safety")]

CATEGORIES = [
    # slug, English, Chinese, team
    ("account", "Account & login", "账户与登录", "account-care"),
    ("deposits-withdrawals", "Deposits & withdrawals", "充值与提现", "payments"),
    ("trading", "Trading", "交易", "account-care"),
    ("security", "Security", "安全", "trust-safety"),
    ("kyc", "Identity verification", "身份认证", "account-care"),
    ("other", "Other", "其他", "account-care"),
]

SLA = [  # priority, first response, resolution (minutes)
    (Ticket.Priority.URGENT, 15, 4 * 60),
    (Ticket.Priority.HIGH, 60, 8 * 60),
    (Ticket.Priority.NORMAL, 4 * 60, 24 * 60),
    (Ticket.Priority.LOW, 24 * 60, 72 * 60),
]

RULES = [
    # pattern, category, priority
    ("hacked", "security", Ticket.Priority.URGENT),
    ("被盗", "security", Ticket.Priority.URGENT),
    ("unauthorized", "security", Ticket.Priority.URGENT),
    ("盗号", "security", Ticket.Priority.URGENT),
    ("stolen", "security", Ticket.Priority.URGENT),
    ("withdrawal", "deposits-withdrawals", Ticket.Priority.HIGH),
    ("提现", "deposits-withdrawals", Ticket.Priority.HIGH),
    ("deposit", "deposits-withdrawals", ""),
    ("充值", "deposits-withdrawals", ""),
    ("kyc", "kyc", ""),
    ("实名", "kyc", ""),
    ("password", "account", ""),
    ("登录", "account", ""),
]

CANNED = [
    ("greeting", "Greeting", "Hi {{ user.display_name }}, thanks for contacting OKX support "
     "about {{ ticket.reference }}. I am looking into it now.\n\n{{ agent.display_name }}",
     "问候", "{{ user.display_name }}，您好！感谢您就 {{ ticket.reference }} 联系 OKX 客服，"
     "我正在为您处理。\n\n{{ agent.display_name }}"),
    ("need-txid", "Ask for the TxID", "Hi {{ user.display_name }}, could you send us the "
     "transaction ID (TxID) and the network you used? Then we can trace it.",
     "索取交易哈希", "{{ user.display_name }}，您好！请提供交易哈希（TxID）和所用网络，"
     "我们会为您追踪。"),
    ("secure-account", "Secure your account", "Hi {{ user.display_name }}, we have frozen "
     "withdrawals on your account to keep your funds safe. Please reset your password and 2FA "
     "now.", "账户安全", "{{ user.display_name }}，您好！为保护您的资金，我们已暂时冻结提现。"
     "请立即重置密码和两步验证。"),
]

AGENT_PERMISSIONS = ["view_ticket", "change_ticket", "view_message", "add_message",
                     "view_attachment", "view_cannedresponse", "view_event", "view_category",
                     "view_supportteam", "view_tag"]
SUPERVISOR_PERMISSIONS = [*AGENT_PERMISSIONS, "view_all_tickets", "add_cannedresponse",
                          "change_cannedresponse", "change_slapolicy", "view_slapolicy",
                          "view_classificationrule", "add_classificationrule",
                          "change_classificationrule"]

TICKETS = [
    # requester, subject, body, channel
    ("alice", "Withdrawal pending for 3 hours",
     "My BTC withdrawal has been pending for 3 hours. TxID not shown yet.", "web"),
    ("xiaoming", "账户被盗，资金不见了",
     "今天早上收到异地登录提醒，账户里的 USDT 被转走了！", "web"),
    ("alice", "How do I change my nickname?", "I cannot find it in the settings.", "chat"),
]


def load(stdout) -> None:
    teams = {slug: SupportTeam.objects.get_or_create(
        slug=slug, defaults={"name": name, "is_default": slug == "account-care"})[0]
        for slug, name in TEAMS}
    categories = {}
    for position, (slug, en, zh, team) in enumerate(CATEGORIES):
        category, created = Category.objects.get_or_create(
            slug=slug, defaults={"position": position, "team": teams[team]})
        if created:
            category.set_current_language("en")
            category.name = en
            category.set_current_language("zh-hans")
            category.name = zh
            category.save()
        categories[slug] = category
    for priority, first, resolution in SLA:
        SLAPolicy.objects.get_or_create(priority=priority, defaults={
            "first_response_minutes": first, "resolution_minutes": resolution})
    if not ClassificationRule.objects.exists():
        ClassificationRule.objects.bulk_create([
            ClassificationRule(position=n, pattern=pattern, category=categories[category],
                               priority=priority)
            for n, (pattern, category, priority) in enumerate(RULES)])
    for slug, title_en, body_en, title_zh, body_zh in CANNED:
        canned, created = CannedResponse.objects.get_or_create(slug=slug)
        if created:
            for language, title, body in (("en", title_en, body_en),
                                          ("zh-hans", title_zh, body_zh)):
                canned.set_current_language(language)
                canned.title, canned.body = title, body
            canned.save()

    agents = _group("Support agents", AGENT_PERMISSIONS)
    supervisors = _group("Support supervisors", SUPERVISOR_PERMISSIONS)
    mei = User.objects.filter(username="agent_mei").first()
    omar = User.objects.filter(username="supervisor_omar").first()
    if mei:
        mei.groups.add(agents)
        for team in teams.values():
            team.members.add(mei)
    if omar:
        omar.groups.add(supervisors)

    if not Ticket.objects.exists():
        for username, subject, body, channel in TICKETS:
            requester = User.objects.filter(username=username).first()
            if requester:
                ticket_create(requester=requester, subject=subject, body=body, channel=channel)
        first = Ticket.objects.order_by("pk").first()
        if first and mei:
            ticket_change(ticket=first, actor=mei, assignee=mei)
            message_post(ticket=first, author=mei, internal=True,
                         body="Checked the node: the transaction is in the mempool.")
    stdout.write(f"Support desk: {Ticket.objects.count()} tickets; agent login "
                 "agent@example.com, supervisor supervisor@example.com.")


def _group(name: str, codenames: list[str]) -> Group:
    group, _created = Group.objects.get_or_create(name=name)
    group.permissions.add(*Permission.objects.filter(content_type__app_label="tickets",
                                                     codename__in=codenames))
    return group
