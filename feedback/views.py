from django.http import Http404


def _todo(request, *args, **kwargs):
    raise Http404


board = item_create = similar = roadmap = changelog = item_detail = _todo
item_vote = item_follow = item_comment = item_respond = _todo
