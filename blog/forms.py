from django import forms
from django.utils.translation import gettext_lazy as _
from parler.forms import TranslatableModelForm

from blog.comments import BODY_MAX
from blog.covers import cover_verify
from blog.models import Article
from blog.services import RESERVED_SLUGS


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Your comment (Markdown)"), max_length=BODY_MAX,
                           widget=forms.Textarea(attrs={"rows": 4}))


class ArticleAdminForm(TranslatableModelForm):
    """The admin's article form: a new cover is verified by its content (``blog.covers``)
    and stored re-encoded."""

    class Meta:
        model = Article
        fields = "__all__"

    def clean_slug(self):
        slug = self.cleaned_data.get("slug")
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(_("This address is taken by the blog's own pages."))
        return slug

    def clean_cover(self):
        cover = self.cleaned_data.get("cover")
        if cover and "cover" in self.changed_data:
            return cover_verify(cover)
        return cover
