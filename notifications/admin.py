from django.contrib import admin

from notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("verb", "recipient", "actor", "created_at", "read_at", "emailed_at")
    list_filter = ("created_at", "read_at")
    search_fields = ("verb", "recipient__username", "recipient__email")
    list_select_related = ("recipient", "actor")
    raw_id_fields = ("recipient", "actor")
    date_hierarchy = "created_at"
