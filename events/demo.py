"""Demo events, in English and Chinese: an upcoming AMA with questions and votes, a past AMA
archive with answers, two upcoming meetups (one full, with a waitlist) and a past meetup with
a recap link. Times are relative to now. Safe to run again: what exists is left as it is."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from accounts.models import User
from core.markdown import render_markdown
from events.models import AmaQuestion, AmaSession, Meetup
from events.services import (
    ama_question_answer,
    ama_question_ask,
    ama_session_save,
    ama_vote_toggle,
    meetup_rsvp,
    meetup_save,
)

UPCOMING_AMA = {
    "slug": "okx-wallet-team-ama", "days": 2, "hours": 1, "hosts": ["pm_lin"],
    "title": ("AMA with the OKX Wallet team", "与 OKX 钱包团队的 AMA"),
    "description": (
        "Ask the **Wallet** product team anything: self-custody, gas fees, DEX swaps.\n\n"
        "Questions are open now; the team answers live on the day.",
        "向 **钱包** 产品团队提问：自托管、Gas 费、DEX 兑换，什么都可以问。\n\n"
        "现在即可提问，团队将在当天现场回答。"),
    "questions": [
        ("alice", "Will the wallet support hardware keys?", ["xiaoming", "ambassador_sam"]),
        ("xiaoming", "DEX 兑换的滑点可以自定义吗？", ["alice"]),
        ("ambassador_sam", "Any plans for **gasless** transactions on L2s?", []),
    ],
}
PAST_AMA = {
    "slug": "futures-risk-ama-2026", "days": -14, "hours": 1, "hosts": ["admin"],
    "title": ("Futures risk controls AMA", "合约风控 AMA"),
    "description": ("How liquidations, the insurance fund and auto-deleveraging work.",
                    "强平、风险准备金和自动减仓是如何运作的。"),
    "questions": [
        ("alice", "How is the mark price computed?",
         "From a basket of spot indexes plus a moving average of the basis."),
        ("xiaoming", "风险准备金会公开吗？", "会的，每天在数据页面更新余额。"),
    ],
}
MEETUPS = [
    {"slug": "singapore-traders-night", "days": 10, "capacity": 40, "organiser":
     "ambassador_sam", "going": ["alice"], "speakers": "Sam Okafor\nLin Wei",
     "title": ("Singapore traders' night", "新加坡交易者之夜"),
     "city": ("Singapore", "新加坡"),
     "venue": ("The Hive, 59 Lavender Street, Singapore 338716",
               "新加坡薰衣草街 59 号 The Hive"),
     "agenda": ("- 19:00 Doors open\n- 19:30 *Reading funding rates* (Sam)\n"
                "- 20:15 Q&A with the product team",
                "- 19:00 入场\n- 19:30 *解读资金费率*（Sam）\n- 20:15 与产品团队问答")},
    {"slug": "shanghai-web3-meetup", "days": 5, "capacity": 2, "organiser": "ambassador_sam",
     "going": ["alice", "ambassador_sam", "xiaoming"], "speakers": "Lin Wei",
     "title": ("Shanghai Web3 builders' meetup", "上海 Web3 开发者聚会"),
     "city": ("Shanghai", "上海"),
     "venue": ("WeWork, 1788 West Nanjing Road, Jing'an", "静安区南京西路 1788 号 WeWork"),
     "agenda": ("A small room: **two seats only**, then the waitlist.",
                "小型聚会：**只有两个座位**，之后进入候补名单。")},
]
PAST_MEETUP = {
    "slug": "dubai-meetup-2026", "days": -30, "capacity": 60, "organiser": "ambassador_sam",
    "going": [], "speakers": "Omar", "recap_url": f"{settings.SITE_URL}/en/blog/",
    "title": ("Dubai community meetup", "迪拜社区聚会"),
    "city": ("Dubai", "迪拜"),
    "venue": ("Dubai Internet City, Building 1", "迪拜互联网城 1 号楼"),
    "agenda": ("Talks on copy trading and the new Earn products.",
               "关于跟单交易和新理财产品的分享。"),
}


def _translate(obj, **fields: tuple[str, str]) -> None:
    for index, language in enumerate(("en", "zh-hans")):
        obj.set_current_language(language)
        for name, values in fields.items():
            setattr(obj, name, values[index])


def _session(spec: dict, users: dict) -> tuple[AmaSession, bool]:
    session = AmaSession.objects.filter(slug=spec["slug"]).first()
    if session is not None:
        return session, False
    starts_at = timezone.now() + timedelta(days=spec["days"])
    session = AmaSession(slug=spec["slug"], starts_at=starts_at,
                         ends_at=starts_at + timedelta(hours=spec["hours"]))
    _translate(session, title=spec["title"], description=spec["description"])
    for language in ("en", "zh-hans"):
        ama_session_save(session=session, language=language)
    session.hosts.set([users[name] for name in spec["hosts"]])
    return session, True


def _meetup(spec: dict, users: dict) -> tuple[Meetup, bool]:
    meetup = Meetup.objects.filter(slug=spec["slug"]).first()
    if meetup is not None:
        return meetup, False
    starts_at = (timezone.now() + timedelta(days=spec["days"])).replace(
        hour=11, minute=0, second=0, microsecond=0)
    meetup = Meetup(slug=spec["slug"], starts_at=starts_at,
                    ends_at=starts_at + timedelta(hours=3), capacity=spec["capacity"],
                    speakers=spec["speakers"], organiser=users[spec["organiser"]],
                    recap_url=spec.get("recap_url", ""))
    _translate(meetup, title=spec["title"], city=spec["city"], venue=spec["venue"],
               agenda=spec["agenda"])
    for language in ("en", "zh-hans"):
        meetup_save(meetup=meetup, language=language)
    for name in spec["going"]:
        meetup_rsvp(meetup=meetup, user=users[name])
    return meetup, True


def load(stdout) -> None:
    users = {user.username: user for user in User.objects.filter(
        username__in={"alice", "xiaoming", "ambassador_sam", "pm_lin", "admin"})}
    created = 0
    session, new = _session(UPCOMING_AMA, users)
    if new:
        created += 1
        for author, body, voters in UPCOMING_AMA["questions"]:
            question = ama_question_ask(session=session, author=users[author], body=body,
                                        language=users[author].language)
            for voter in voters:
                ama_vote_toggle(question=question, user=users[voter])
    session, new = _session(PAST_AMA, users)
    if new:
        created += 1
        # The session is over, so its questions are written as they were then: asking is
        # closed now, answering is not.
        for author, body, answer in PAST_AMA["questions"]:
            question = AmaQuestion.objects.create(
                session=session, author=users[author], body=body,
                body_html=render_markdown(body), language=users[author].language)
            ama_question_answer(question=question, by=users["admin"], answer=answer)
        session.questions.update(created_at=session.starts_at - timedelta(days=1),
                                 answered_at=session.starts_at + timedelta(minutes=20))
    for spec in MEETUPS:
        created += _meetup(spec, users)[1]
    created += _meetup(PAST_MEETUP, users)[1]
    stdout.write(f"Events: {created} new demo events.")
