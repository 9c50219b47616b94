from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _
from markdownx.widgets import MarkdownxWidget

from programs.attachments import poc_verify
from programs.models import Asset, Region, Report, Severity

MARKDOWN_MAX = 20_000
CHANNELS_MAX = 10
AUDIENCE_MAX = 1_000_000_000


class ApplicationForm(forms.Form):
    region = forms.ChoiceField(label=_("Region"), choices=Region.choices,
                               error_messages={"invalid_choice": _("Choose your region.")})
    languages = forms.CharField(label=_("Languages"), max_length=200,
                                help_text=_("The languages you create content in, e.g. "
                                            "“English, Spanish”."))
    channels = forms.CharField(
        label=_("Your channels"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
        help_text=_("Addresses of your communities, blog, videos or social accounts, one a "
                    "line (at most %(count)d).") % {"count": CHANNELS_MAX})
    audience_size = forms.IntegerField(
        label=_("Audience size"), min_value=0, max_value=AUDIENCE_MAX,
        help_text=_("About how many people follow you, all channels together."))
    motivation = forms.CharField(
        label=_("Why do you want to be an ambassador?"), max_length=MARKDOWN_MAX,
        widget=MarkdownxWidget(), help_text=_("Markdown is supported."))

    def clean_channels(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["channels"].splitlines()
                 if line.strip()]
        if not lines:
            raise ValidationError(_("Give at least one address."), code="required")
        if len(lines) > CHANNELS_MAX:
            raise ValidationError(_("Give at most %(count)d addresses.")
                                  % {"count": CHANNELS_MAX}, code="too_many")
        validate = URLValidator(schemes=["http", "https"])
        for line in lines:
            try:
                validate(line)
            except ValidationError:
                raise ValidationError(
                    _("“%(line)s” is not a web address (https://…).") % {"line": line[:100]},
                    code="url") from None
        return lines


class RejectForm(forms.Form):
    """The admin's “Reject with a reason” step."""

    reason = forms.CharField(label=_("Reason, sent to the applicant"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 4}))


OTHER_ASSET = "other"


class ReportForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200,
                            help_text=_("The vulnerability in a few words."))
    asset = forms.ChoiceField(label=_("Affected asset"),
                              error_messages={"invalid_choice": _("Choose an asset from the "
                                                                  "list.")})
    asset_other = forms.CharField(label=_("Other asset"), max_length=200, required=False,
                                  help_text=_("If it is not in the list: the host, app or "
                                              "contract address."))
    steps = forms.CharField(label=_("Steps to reproduce"), max_length=MARKDOWN_MAX,
                            widget=MarkdownxWidget(), help_text=_("Markdown is supported."))
    impact = forms.CharField(label=_("Impact"), max_length=5000,
                             widget=forms.Textarea(attrs={"rows": 4}),
                             help_text=_("What could an attacker do with it?"))
    severity = forms.ChoiceField(label=_("Severity (your estimate)"), choices=Severity.choices,
                                 initial=Severity.MEDIUM)
    poc = forms.FileField(
        label=_("Proof of concept (optional)"), required=False,
        help_text=_("One image, PDF, ZIP archive or text file, up to 10 MB. Only you and the "
                    "security team can open it."))
    hall_of_fame = forms.BooleanField(
        label=_("Credit me in the public hall of fame if the report is accepted"),
        required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.assets = {str(asset.pk): asset for asset in Asset.objects.filter(in_scope=True)}
        self.fields["asset"].choices = [("", "—")] + [
            (pk, asset.name) for pk, asset in self.assets.items()] + [
            (OTHER_ASSET, _("Something else (describe it below)"))]

    def clean_poc(self):
        upload = self.cleaned_data.get("poc")
        return poc_verify(upload=upload) if upload else None

    def clean(self):
        data = super().clean()
        if data.get("asset") == OTHER_ASSET and not (data.get("asset_other") or "").strip():
            self.add_error("asset_other", _("Describe the affected asset."))
        data["asset"] = self.assets.get(data.get("asset"))
        return data


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Comment"), max_length=MARKDOWN_MAX,
                           widget=forms.Textarea(attrs={"rows": 4}),
                           error_messages={"required": _("Write something first.")})


class TriageForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Report.Status.choices)
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices)
    reward_amount = forms.DecimalField(label=_("Reward (USDT)"), required=False, min_value=0,
                                       max_digits=10, decimal_places=2)
    payout_status = forms.ChoiceField(label=_("Payout"), choices=Report.Payout.choices)


class HallOfFameForm(forms.Form):
    show = forms.BooleanField(required=False)


class VerifyForm(forms.Form):
    account = forms.CharField(
        label=_("Handle or address"), max_length=300,
        help_text=_("Paste what you were sent, e.g. @okx or https://t.me/okx…"))
