from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.static import serve

from core.forms import ImageUploadForm, MarkdownPreviewForm
from core.markdown import render_markdown
from core.ratelimit import rate_limit_exceeded
from core.services import image_upload_store

UPLOADS_PER_HOUR = 60


def media(request, path):
    """Uploads, served by Django where no web server does it (``DJANGO_SERVE_MEDIA``). The
    folder is read per request, so it follows ``MEDIA_ROOT`` wherever it is set."""
    return serve(request, path, document_root=settings.MEDIA_ROOT)


def home(request):
    return render(request, "core/home.html")


@require_POST
@login_required
def markdown_preview(request):
    """The editor's live preview: the same renderer that will show the saved text."""
    form = MarkdownPreviewForm(request.POST)
    if not form.is_valid():
        return HttpResponse(form.errors["content"][0], status=400, content_type="text/plain")
    return HttpResponse(render_markdown(form.cleaned_data["content"]))


@require_POST
@login_required
def markdown_upload(request):
    """Store an image dropped into the editor and answer with the Markdown that shows it."""
    if rate_limit_exceeded(scope="upload", key=str(request.user.pk),
                           limit=UPLOADS_PER_HOUR, period=3600):
        return JsonResponse({"image": [_("Too many uploads. Try again later.")]}, status=429)
    form = ImageUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return JsonResponse(form.errors, status=400)
    url = image_upload_store(image=form.cleaned_data["image"])
    return JsonResponse({"image_code": f"![]({url})"})
