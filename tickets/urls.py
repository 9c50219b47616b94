from django.urls import path

from tickets import views

app_name = "tickets"

urlpatterns = [
    path("", views.ticket_index, name="index"),
    path("new/", views.ticket_create, name="create"),
    path("chat/", views.chat_start, name="chat"),
    path("suggest/", views.help_suggest, name="suggest"),
    path("<str:reference>/", views.ticket_detail, name="detail"),
    path("<str:reference>/reply/", views.ticket_reply, name="reply"),
    path("<str:reference>/updates/", views.ticket_updates, name="updates"),
    path("<str:reference>/close/", views.ticket_close, name="close"),
    path("<str:reference>/reopen/", views.ticket_reopen, name="reopen"),
    path("<str:reference>/rate/", views.ticket_rate, name="rate"),
    path("<str:reference>/files/<int:pk>/", views.attachment_download, name="attachment"),
]
