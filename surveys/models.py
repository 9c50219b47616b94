"""Surveys: questionnaires built in the admin, the responses people give, and the single-use
invitation links of email campaigns.

Everything a respondent reads is translated (django-parler); answers are plain rows, one per
chosen option, score or text, so results are counted in SQL whatever the number of responses.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from parler.models import TranslatableModel, TranslatedFields


class Survey(TranslatableModel):
    """A questionnaire. Taken at ``/surveys/<slug>/`` while published and between its opening
    and closing times (``surveys.selectors.survey_state``)."""

    class Audience(models.TextChoices):
        MEMBERS = "members", _("signed-in members only")
        ANYONE = "anyone", _("anyone, signed in or not")

    slug = models.SlugField(_("slug"), unique=True)
    is_published = models.BooleanField(
        _("published"), default=False,
        help_text=_("Unpublished surveys are only visible here, while you build them."))
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True,
                                    help_text=_("Empty: open as soon as it is published."))
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True,
                                     help_text=_("Empty: open until unpublished."))
    audience = models.CharField(_("who may answer"), max_length=10, choices=Audience.choices,
                                default=Audience.MEMBERS)
    allow_edit = models.BooleanField(
        _("answers editable"), default=False,
        help_text=_("Respondents may change their answers until the survey closes."))
    show_on_home = models.BooleanField(_("invite from the home page"), default=False)
    is_support_survey = models.BooleanField(
        _("support survey"), default=False,
        help_text=_("Offered on the page of a resolved support ticket."))
    product_area = models.SlugField(
        _("product area"), blank=True,
        help_text=_("Written answers go to the feedback pipeline in this product area."))
    feedback_tags = models.CharField(
        _("feedback tags"), max_length=300, blank=True,
        help_text=_("Tag slugs, separated by commas, given to the written answers sent to "
                    "the feedback pipeline."))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    translations = TranslatedFields(
        title=models.CharField(_("title"), max_length=200),
        intro=models.TextField(_("introduction"), blank=True),
        thank_you=models.TextField(_("thank-you text"), blank=True),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")

    def __str__(self):
        return self.safe_translation_getter("title", any_language=True) or self.slug

    def get_absolute_url(self):
        return reverse("surveys:take", kwargs={"slug": self.slug})


class Question(TranslatableModel):
    """One question of a survey. With a condition (``show_if_question`` and a choice or a
    score range) it is shown only when that earlier question was answered so."""

    class Kind(models.TextChoices):
        SINGLE = "single", _("single choice")
        MULTIPLE = "multiple", _("multiple choice")
        RATING = "rating", _("rating 1–5 (CSAT)")
        NPS = "nps", _("recommendation 0–10 (NPS)")
        SHORT_TEXT = "short_text", _("short text")
        LONG_TEXT = "long_text", _("long text")
        MATRIX = "matrix", _("matrix (rows rated 1–5)")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions",
                               verbose_name=_("survey"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    required = models.BooleanField(_("required"), default=True)
    show_if_question = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("show only if question"),
        help_text=_("A choice, rating or NPS question of this survey with a lower position."))
    show_if_choice = models.ForeignKey(
        "Choice", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("was answered with"))
    show_if_min = models.PositiveSmallIntegerField(
        _("or scored at least"), null=True, blank=True)
    show_if_max = models.PositiveSmallIntegerField(_("and at most"), null=True, blank=True)
    translations = TranslatedFields(
        text=models.CharField(_("question"), max_length=300),
        help=models.CharField(_("help text"), max_length=300, blank=True),
    )

    class Meta:
        ordering = ["survey", "position", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return self.safe_translation_getter("text", any_language=True) or f"#{self.pk}"

    def clean(self):
        """A condition points at an earlier question of the same survey, with a choice of that
        question or a score range of a rating or NPS question."""
        condition = self.show_if_question
        if condition is None:
            if self.show_if_choice_id or self.show_if_min is not None \
                    or self.show_if_max is not None:
                raise ValidationError(
                    {"show_if_question": _("Choose the question the condition is about.")})
            return
        if condition.survey_id != self.survey_id or condition.position >= self.position:
            raise ValidationError({"show_if_question": _(
                "The condition must be about an earlier question of the same survey.")})
        if condition.kind in CHOICE_KINDS:
            if self.show_if_choice is None or self.show_if_choice.question_id != condition.pk:
                raise ValidationError({"show_if_choice": _(
                    "Choose one of the options of the question the condition is about.")})
        elif condition.kind in SCORE_RANGES:
            low, high = SCORE_RANGES[condition.kind]
            if self.show_if_min is None and self.show_if_max is None:
                raise ValidationError({"show_if_min": _("Give the range of scores.")})
            for name in ("show_if_min", "show_if_max"):
                value = getattr(self, name)
                if value is not None and not low <= value <= high:
                    raise ValidationError({name: _("Scores go from %(low)s to %(high)s.")
                                           % {"low": low, "high": high}})
        else:
            raise ValidationError({"show_if_question": _(
                "A condition can only be about a choice, rating or NPS question.")})


CHOICE_KINDS = {Question.Kind.SINGLE, Question.Kind.MULTIPLE}
TEXT_KINDS = {Question.Kind.SHORT_TEXT, Question.Kind.LONG_TEXT}
# The scores a respondent can give, per kind (matrix rows use the rating scale).
SCORE_RANGES = {Question.Kind.RATING: (1, 5), Question.Kind.NPS: (0, 10)}
MATRIX_SCALE = SCORE_RANGES[Question.Kind.RATING]


class Choice(TranslatableModel):
    """An option of a single or multiple choice question."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices",
                                 verbose_name=_("question"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    translations = TranslatedFields(label=models.CharField(_("label"), max_length=200))

    class Meta:
        ordering = ["question", "position", "pk"]
        verbose_name = _("option")
        verbose_name_plural = _("options")

    def __str__(self):
        return self.safe_translation_getter("label", any_language=True) or f"#{self.pk}"


class MatrixRow(TranslatableModel):
    """A row of a matrix question, rated on the 1–5 scale."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="rows",
                                 verbose_name=_("question"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    translations = TranslatedFields(label=models.CharField(_("label"), max_length=200))

    class Meta:
        ordering = ["question", "position", "pk"]
        verbose_name = _("matrix row")
        verbose_name_plural = _("matrix rows")

    def __str__(self):
        return self.safe_translation_getter("label", any_language=True) or f"#{self.pk}"


class Invitation(models.Model):
    """A single-use link for an email campaign. Only the token's hash is kept: the link is
    shown once, in the CSV the admin downloads when creating it."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations",
                               verbose_name=_("survey"))
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    campaign = models.CharField(_("campaign"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("invitation link")
        verbose_name_plural = _("invitation links")

    def __str__(self):
        return f"{self.survey} · {self.campaign or self.pk}"


class Response(models.Model):
    """One respondent's answers to a survey: a draft until submitted. A respondent is their
    invitation, else their account, else their browser (a random token in a signed cookie,
    kept hashed): one response each."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses",
                               verbose_name=_("survey"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                             blank=True, related_name="survey_responses",
                             verbose_name=_("user"))
    browser_hash = models.CharField(_("browser token hash"), max_length=64, blank=True,
                                    editable=False)
    invitation = models.OneToOneField(Invitation, on_delete=models.SET_NULL, null=True,
                                      blank=True, related_name="response",
                                      verbose_name=_("invitation link"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.DRAFT)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(fields=["survey", "user"], name="surveys_one_per_user",
                                    condition=Q(user__isnull=False, invitation__isnull=True)),
            models.UniqueConstraint(
                fields=["survey", "browser_hash"], name="surveys_one_per_browser",
                condition=Q(user__isnull=True, invitation__isnull=True) & ~Q(browser_hash="")),
        ]
        indexes = [models.Index(fields=["survey", "status", "submitted_at"],
                                name="surveys_response_results_idx")]

    def __str__(self):
        return f"{self.survey} · #{self.pk}"


class Answer(models.Model):
    """One piece of an answer: a chosen option (one row per option of a multiple choice), a
    score, a matrix row's score, or a text."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers",
                                 verbose_name=_("response"))
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers",
                                 verbose_name=_("question"))
    choice = models.ForeignKey(Choice, on_delete=models.CASCADE, null=True, blank=True,
                               related_name="+", verbose_name=_("option"))
    row = models.ForeignKey(MatrixRow, on_delete=models.CASCADE, null=True, blank=True,
                            related_name="+", verbose_name=_("matrix row"))
    number = models.SmallIntegerField(_("score"), null=True, blank=True)
    text = models.TextField(_("text"), blank=True)

    class Meta:
        ordering = ["response", "question", "pk"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        indexes = [models.Index(fields=["question", "choice"], name="surveys_answer_choice_idx"),
                   models.Index(fields=["question", "number"], name="surveys_answer_score_idx")]

    def __str__(self):
        return f"{self.question} · #{self.response_id}"


class FeedbackHandoff(models.Model):
    """A written answer sent to the feedback pipeline: kept so an answer is sent once, however
    often its response is submitted again."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("response"))
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("question"))
    feedback_item_id = models.PositiveBigIntegerField(_("feedback item"))
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("answer sent to feedback")
        verbose_name_plural = _("answers sent to feedback")
        constraints = [models.UniqueConstraint(fields=["response", "question"],
                                               name="surveys_handoff_once")]

    def __str__(self):
        return f"{self.question} · #{self.response_id} → #{self.feedback_item_id}"
