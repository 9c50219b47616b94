from django.urls import path

from notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_index, name="index"),
    path("<int:pk>/", views.notification_open, name="open"),
    path("read-all/", views.notification_read_all, name="read_all"),
]
