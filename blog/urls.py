from django.urls import path

from blog import comment_views, views
from blog.feeds import ArticlesAtomFeed, ArticlesFeed

app_name = "blog"

urlpatterns = [
    path("", views.index, name="index"),
    path("feed/", ArticlesFeed(), name="feed"),
    path("feed/atom/", ArticlesAtomFeed(), name="feed_atom"),
    path("c/<slug:slug>/", views.category_detail, name="category"),
    path("c/<slug:slug>/feed/", ArticlesFeed(), name="category_feed"),
    path("c/<slug:slug>/feed/atom/", ArticlesAtomFeed(), name="category_feed_atom"),
    path("tag/<slug:slug>/", views.tag_detail, name="tag"),
    path("author/<str:username>/", views.author_detail, name="author"),
    path("preview/<int:pk>/", views.article_preview, name="preview"),
    path("a/<int:pk>/comment/", comment_views.comment_create, name="comment_create"),
    path("comment/<int:pk>/", comment_views.comment_redirect, name="comment"),
    path("comment/<int:pk>/reply/", comment_views.comment_reply, name="comment_reply"),
    path("comment/<int:pk>/react/", comment_views.comment_react, name="comment_react"),
    path("comment/<int:pk>/flag/", comment_views.comment_flag, name="comment_flag"),
    path("<str:slug>/", views.article_detail, name="article"),
]
