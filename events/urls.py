from django.urls import path

from events import views

app_name = "events"

urlpatterns = [
    path("", views.event_index, name="index"),
    path("ama/<slug:slug>/", views.ama_detail, name="ama"),
    path("ama/<slug:slug>/host/", views.ama_host, name="ama_host"),
    path("ama/<slug:slug>/calendar.ics", views.ama_calendar, name="ama_calendar"),
    path("ama/<slug:slug>/questions/<int:pk>/vote/", views.ama_vote, name="ama_vote"),
    path("ama/<slug:slug>/questions/<int:pk>/answer/", views.ama_answer, name="ama_answer"),
    path("ama/<slug:slug>/questions/<int:pk>/hide/", views.ama_hide, name="ama_hide"),
    path("ama/<slug:slug>/questions/<int:pk>/feedback/", views.ama_feedback,
         name="ama_feedback"),
    path("meetups/<slug:slug>/", views.meetup_detail, name="meetup"),
    path("meetups/<slug:slug>/rsvp/", views.meetup_rsvp, name="meetup_rsvp"),
    path("meetups/<slug:slug>/cancel/", views.meetup_cancel, name="meetup_cancel"),
    path("meetups/<slug:slug>/photos/", views.meetup_photo_add, name="meetup_photo_add"),
    path("meetups/<slug:slug>/calendar.ics", views.meetup_calendar, name="meetup_calendar"),
]
