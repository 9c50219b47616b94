from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("u/<str:username>/", views.profile_detail, name="profile"),
    path("accounts/profile/", views.profile_edit, name="profile_edit"),
    path("accounts/profile/avatar/", views.avatar_update, name="avatar_update"),
]
