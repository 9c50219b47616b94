from django.urls import path

from feedback import dashboard, export, views

app_name = "feedback"
urlpatterns = [
    path("", views.board, name="index"),
    path("new/", views.item_create, name="create"),
    path("similar/", views.similar, name="similar"),
    path("roadmap/", views.roadmap, name="roadmap"),
    path("changelog/", views.changelog, name="changelog"),
    path("export/", export.export_page, name="export"),
    path("export/download/", export.export_download, name="export_download"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("<int:pk>/vote/", views.item_vote, name="vote"),
    path("<int:pk>/follow/", views.item_follow, name="follow"),
    path("<int:pk>/comment/", views.item_comment, name="comment"),
    path("<int:pk>/respond/", views.item_respond, name="respond"),
    path("<int:pk>/merge/", views.item_merge, name="merge"),
    # After the actions above, which a slug would otherwise swallow.
    path("<int:pk>/", views.item_detail, name="detail_short"),
    path("<int:pk>/<slug:slug>/", views.item_detail, name="detail"),
]
