from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.pagecache import member_pages_expire


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

    # A member's name, avatar and badges show beside their posts on pages members share.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        transaction.on_commit(member_pages_expire)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        transaction.on_commit(member_pages_expire)

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        transaction.on_commit(member_pages_expire)
