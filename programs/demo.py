"""Demo programs: four ambassadors with points in two regions (this month and last), an
approved and a pending application, a bug bounty scope with a hall of fame of two researchers
and a private report, the "Security team" group, and official channels in English and
Chinese. Safe to run again: what exists is left as it is."""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from accounts.demo import DEMO_PASSWORD
from programs import services
from programs.models import Application, Asset, Channel, PointsEntry, Region, Report

# username, display name, language, region, [(activity, points this month, last month)]
AMBASSADORS = [
    ("ambassador_sam", "Sam Okafor", "en", Region.EUROPE,
     [("event_organised", 2, 1), ("answer_accepted", 6, 3)]),
    ("ambassador_lena", "Lena Fischer", "en", Region.EUROPE,
     [("event_organised", 1, 2), ("feedback_shipped", 2, 0)]),
    ("ambassador_wang", "王磊", "zh-hans", Region.ASIA_PACIFIC,
     [("event_organised", 3, 1), ("answer_accepted", 4, 5)]),
    ("ambassador_priya", "Priya Nair", "en", Region.ASIA_PACIFIC,
     [("answer_accepted", 9, 2), ("feedback_shipped", 1, 1)]),
]
RESEARCHERS = [("whitehat_kim", "Kim Do-yun", 2), ("whitehat_ana", "Ana Souza", 1)]
SCOPE = [
    ("okx.com and its subdomains", True, "Web application and public APIs."),
    ("OKX app for iOS and Android", True, "The latest version from the official stores."),
    ("OKX Web3 wallet extension", True, ""),
    ("community.okx.com", True, "This community portal."),
    ("Third-party services linked from our pages", False, "Report to their owners."),
    ("Missing security headers without a working exploit", False, ""),
]
CHANNELS = [
    ("en", Channel.Platform.X, "News and announcements", "@okx", "https://x.com/okx"),
    ("en", Channel.Platform.TELEGRAM, "English community", "@OKXOfficial_English",
     "https://t.me/OKXOfficial_English"),
    ("en", Channel.Platform.DISCORD, "Discord server", "OKX", "https://discord.gg/okx"),
    ("en", Channel.Platform.REDDIT, "Subreddit", "r/OKX", "https://www.reddit.com/r/OKX"),
    ("en", Channel.Platform.YOUTUBE, "Videos and tutorials", "@OKXOfficial",
     "https://www.youtube.com/@OKXOfficial"),
    ("zh-hans", Channel.Platform.X, "中文公告", "@OKXChinese", "https://x.com/OKXChinese"),
    ("zh-hans", Channel.Platform.TELEGRAM, "中文社群", "@OKXOfficial_CN",
     "https://t.me/OKXOfficial_CN"),
    ("zh-hans", Channel.Platform.WEIBO, "官方微博", "@OKX欧易", "https://weibo.com/okxofficial"),
]


def _user(username: str, display_name: str, language: str = "en", **flags):
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"email": f"{username}@example.com",
                                     "display_name": display_name, "language": language,
                                     **flags})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def _ambassadors(admin) -> None:
    last_month = timezone.now().replace(day=1) - timedelta(days=3)
    for username, name, language, region, activities in AMBASSADORS:
        user = _user(username, name, language)
        if not Application.objects.filter(user=user).exists():
            application = services.application_submit(
                user=user, region=region, languages="English" if language == "en" else "中文",
                channels=[f"https://x.com/{username}"], audience_size=5000,
                motivation="I run a local trading community and want to bring it closer to OKX.")
            services.application_approve(application=application, by=admin)
        for activity, now_count, before_count in activities:
            for n in range(now_count + before_count):
                ref = f"demo:{username}:{activity}:{n}"
                if services.points_award(user=user, activity=activity, ref=ref) \
                        and n >= now_count:
                    PointsEntry.objects.filter(activity=activity, ref=ref).update(
                        awarded_at=last_month)
    alice = get_user_model().objects.filter(username="alice").first()
    if alice is not None and not Application.objects.filter(user=alice).exists():
        services.application_submit(
            user=alice, region=Region.LATIN_AMERICA, languages="English, Spanish",
            channels=["https://t.me/alice_trades", "https://youtube.com/@alicetrades"],
            audience_size=1200, motivation="I teach **beginners** to trade safely.")


def _bug_bounty() -> None:
    group, _created = Group.objects.get_or_create(name="Security team")
    group.permissions.add(Permission.objects.get(codename="handle_security_reports",
                                                 content_type__app_label="programs"))
    _user("security_ines", "Inès (OKX security)", is_staff=True).groups.add(group)
    for position, (name, in_scope, notes) in enumerate(SCOPE):
        Asset.objects.get_or_create(name=name, defaults={"in_scope": in_scope, "notes": notes,
                                                         "position": position})
    web = Asset.objects.get(name=SCOPE[0][0])
    for username, name, count in RESEARCHERS:
        researcher = _user(username, name)
        for n in range(count - researcher.security_reports.count()):
            report = services.report_submit(
                reporter=researcher, title=f"Open redirect on login ({name}, {n + 1})",
                asset=web, asset_other="", severity="medium", hall_of_fame=True,
                steps="1. Open `/login?next=//evil.example`\n2. Sign in", impact="Phishing.")
            Report.objects.filter(pk=report.pk).update(
                status=Report.Status.REWARDED, reward_amount=500,
                payout_status=Report.Payout.PAID)
    xiaoming = get_user_model().objects.filter(username="xiaoming").first()
    if xiaoming is not None and not xiaoming.security_reports.exists():
        services.report_submit(
            reporter=xiaoming, title="验证码可以被重复使用", asset=None,
            asset_other="短信验证码服务", severity="high", hall_of_fame=False,
            steps="1. 请求验证码\n2. 使用两次", impact="账户接管风险。")


def _channels() -> None:
    for position, (language, platform, name, handle, url) in enumerate(CHANNELS):
        Channel.objects.get_or_create(platform=platform, handle=handle, defaults={
            "language": language, "name": name, "url": url, "position": position})


def load(stdout) -> None:
    admin = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    _ambassadors(admin)
    _bug_bounty()
    _channels()
    stdout.write("Programs: 4 ambassadors with points, a bug bounty scope and hall of fame, "
                 "official channels (security team: security_ines@example.com).")
