from django.urls import path

from programs import views

app_name = "programs"

urlpatterns = [
    path("", views.index, name="index"),
    path("ambassadors/", views.ambassadors, name="ambassadors"),
    path("ambassadors/apply/", views.ambassador_apply, name="apply"),
    path("ambassadors/leaderboard/", views.leaderboard, name="leaderboard"),
    path("security/", views.security, name="security"),
    path("security/reports/", views.report_list, name="reports"),
    path("security/reports/new/", views.report_create, name="report_create"),
    path("security/reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("security/reports/<int:pk>/comment/", views.report_comment, name="report_comment"),
    path("security/reports/<int:pk>/triage/", views.report_triage, name="report_triage"),
    path("security/reports/<int:pk>/hall-of-fame/", views.report_hall_of_fame,
         name="report_hall_of_fame"),
    path("security/reports/<int:pk>/poc/", views.report_poc, name="report_poc"),
    path("channels/", views.channels, name="channels"),
]
