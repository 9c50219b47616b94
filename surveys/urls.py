from django.urls import path

from surveys import views

app_name = "surveys"

urlpatterns = [
    path("", views.survey_list, name="index"),
    path("<slug:slug>/", views.survey_take, name="take"),
    path("<slug:slug>/thanks/", views.survey_thanks, name="thanks"),
    path("<slug:slug>/results/", views.survey_results, name="results"),
    path("<slug:slug>/results/export.csv", views.survey_export, name="export"),
]
