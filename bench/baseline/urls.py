"""The project's URLs plus the bench's yardstick, ``/bench/baseline/``."""

from django.shortcuts import render
from django.urls import path

from forum.models import Post
from okxcommunity.urls import urlpatterns as project_urlpatterns


def baseline(request):
    """One query of 20 rows rendered through a minimal template: what any page costs."""
    posts = Post.objects.order_by("pk").values("id", "body_html")[:20]
    return render(request, "bench/baseline.html", {"posts": posts})


urlpatterns = [*project_urlpatterns, path("bench/baseline/", baseline, name="bench_baseline")]
