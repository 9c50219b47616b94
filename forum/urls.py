from django.urls import path

from forum import actions, flag_views, move_views, user_views, views
from forum.feeds import LatestTopicsAtomFeed, LatestTopicsFeed

app_name = "forum"

urlpatterns = [
    path("", views.forum_index, name="index"),
    path("feed/", LatestTopicsFeed(), name="feed"),
    path("feed/atom/", LatestTopicsAtomFeed(), name="feed_atom"),
    path("c/<slug:slug>/", views.category_detail, name="category"),
    path("c/<slug:slug>/feed/", LatestTopicsFeed(), name="category_feed"),
    path("c/<slug:slug>/feed/atom/", LatestTopicsAtomFeed(), name="category_feed_atom"),
    path("c/<slug:slug>/new/", views.topic_create, name="topic_create"),
    path("t/<str:slug>/<int:pk>/", views.topic_detail, name="topic"),
    path("t/<str:slug>/<int:pk>/reply/", views.post_reply, name="reply"),
    path("p/<int:pk>/", views.post_redirect, name="post"),
    path("p/<int:pk>/edit/", views.post_edit, name="post_edit"),
    path("p/<int:pk>/revisions/", views.post_revisions, name="post_revisions"),
    path("p/<int:pk>/hide/", views.post_hide, name="post_hide"),
    path("p/<int:pk>/react/", actions.post_react, name="post_react"),
    path("p/<int:pk>/accept/", actions.post_accept, name="post_accept"),
    path("p/<int:pk>/flag/", flag_views.post_flag, name="post_flag"),
    path("t/<int:pk>/pin/", actions.topic_pin, name="topic_pin"),
    path("t/<int:pk>/lock/", actions.topic_lock, name="topic_lock"),
    path("t/<int:pk>/move/", move_views.topic_move, name="topic_move"),
    path("t/<int:pk>/merge/", move_views.topic_merge, name="topic_merge"),
    path("t/<int:pk>/split/", move_views.topic_split, name="topic_split"),
    path("users/", user_views.user_lookup, name="user_lookup"),
    path("digest/", user_views.digest_settings, name="digest"),
    path("watch/<str:kind>/<str:key>/", user_views.watch_update, name="watch"),
]
