"""The shared form include: visible fields with their label, help and errors; hidden fields
bare, with no stray label, their errors still shown."""

from django import forms
from django.template.loader import render_to_string


class _Form(forms.Form):
    body = forms.CharField(label="Your reply", help_text="Markdown works.")
    parent = forms.IntegerField(widget=forms.HiddenInput)


def test_hidden_fields_have_no_label_but_keep_their_errors():
    html = render_to_string("includes/form_fields.html", {"form": _Form({"body": "Hi"})})
    assert '<label for="id_body">Your reply</label>' in html
    assert 'type="hidden" name="parent"' in html
    assert "Parent" not in html and 'for="id_parent"' not in html
    assert "This field is required." in html  # the hidden field's error is not lost
