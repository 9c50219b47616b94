from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "email", "display_name", "is_staff", "is_product_manager",
                    "is_ambassador", "date_joined")
    list_filter = ("is_staff", "is_product_manager", "is_ambassador", "is_active", "language")
    search_fields = ("username", "email", "display_name")
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Profile"), {"fields": ("display_name", "avatar", "bio", "language", "timezone")}),
        (_("Badges"), {"fields": ("is_product_manager", "is_ambassador")}),
    )
