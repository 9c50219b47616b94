from django.http import Http404


def _todo(request, *args, **kwargs):
    raise Http404


export_page = export_download = _todo
