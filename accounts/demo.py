"""Demo users, one for each kind of person the portal serves."""

from allauth.account.models import EmailAddress

from accounts.models import User

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 - printed for local demo logins

DEMO_USERS = [
    # username, email, display name, language, flags
    ("admin", "admin@example.com", "Ada (OKX staff)", "en",
     {"is_staff": True, "is_superuser": True}),
    ("pm_lin", "pm@example.com", "Lin Wei", "zh-hans",
     {"is_staff": True, "is_product_manager": True}),
    ("ambassador_sam", "ambassador@example.com", "Sam Okafor", "en", {"is_ambassador": True}),
    ("analyst_chen", "analyst@example.com", "Chen Jing", "zh-hans", {"is_staff": True}),
    ("agent_mei", "agent@example.com", "Mei (OKX support)", "zh-hans", {"is_staff": True}),
    ("supervisor_omar", "supervisor@example.com", "Omar (support lead)", "en",
     {"is_staff": True}),
    ("alice", "alice@example.com", "Alice Trader", "en", {}),
    ("xiaoming", "xiaoming@example.com", "小明", "zh-hans", {}),
]


def load(stdout) -> None:
    for username, email, display_name, language, flags in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"email": email, "display_name": display_name, "language": language,
                      **flags},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
    stdout.write("Demo logins (email / password):")
    for username, email, _name, _language, flags in DEMO_USERS:
        role = "staff" if flags.get("is_staff") else "user"
        stdout.write(f"  {email:<26} {DEMO_PASSWORD}   @{username} ({role})")
