"""Demo surveys: the mobile app's NPS + CSAT survey (English and Chinese) with a few hundred
generated responses, so the results page shows real charts, and a short support survey
offered on resolved tickets. Safe to run again: what exists is left as it is."""

import random
from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from surveys.models import Answer, Choice, MatrixRow, Question, Response, Survey
from surveys.selectors import Respondent, survey_questions, token_hash
from surveys.services import response_save

K = Question.Kind
GENERATED = 360
DAYS = 30

MOBILE = {
    "slug": "mobile-app-2026", "show_on_home": True, "audience": Survey.Audience.ANYONE,
    "product_area": "mobile-app", "feedback_tags": "app-crash",
    "title": ("How do you like the OKX app?", "您觉得 OKX 应用怎么样？"),
    "intro": ("Five minutes, eight questions: tell the mobile team what to fix first.",
              "五分钟、八个问题：告诉移动团队最该先改进什么。"),
    "thank_you": ("Thank you! The mobile team reads every answer.",
                  "谢谢！移动团队会阅读每一条回答。"),
    "questions": [
        (K.NPS, True, ("How likely are you to recommend the OKX app to a friend?",
                       "您有多大可能向朋友推荐 OKX 应用？"), [], None),
        (K.RATING, True, ("Overall, how satisfied are you with the app?",
                          "总体而言，您对应用满意吗？"), [], None),
        (K.SINGLE, False, ("Which phone do you trade on?", "您用哪种手机交易？"),
         [("iPhone", "iPhone"), ("Android", "安卓"), ("Both", "两者都用")], None),
        (K.MULTIPLE, False, ("Which features do you use?", "您使用哪些功能？"),
         [("Spot trading", "现货交易"), ("Futures", "合约"), ("Earn", "赚币"),
          ("Trading bots", "交易机器人"), ("Web3 wallet", "Web3 钱包")], None),
        (K.MATRIX, False, ("Rate these parts of the app", "请为应用的这些部分打分"),
         [("Speed", "速度"), ("Charts", "图表"), ("Placing orders", "下单"),
          ("Notifications", "通知")], None),
        (K.SINGLE, True, ("Has the app crashed on you in the last month?",
                          "最近一个月应用闪退过吗？"), [("Yes", "是"), ("No", "否")], None),
        (K.LONG_TEXT, False, ("What were you doing when it crashed?", "闪退时您在做什么？"),
         [], (6, 0)),
        (K.LONG_TEXT, False, ("What should we improve first?", "我们最应该先改进什么？"),
         [], None),
    ],
}

SUPPORT = {
    "slug": "support-satisfaction", "is_support_survey": True,
    "audience": Survey.Audience.MEMBERS, "product_area": "account",
    "title": ("How was our support?", "您对我们的客服满意吗？"),
    "intro": ("Three quick questions about your last support ticket.",
              "关于您最近一次工单的三个小问题。"),
    "thank_you": ("Thanks, this helps our support team improve.", "谢谢，这能帮助客服团队改进。"),
    "questions": [
        (K.RATING, True, ("How satisfied are you with the help you got?",
                          "您对获得的帮助满意吗？"), [], None),
        (K.SINGLE, True, ("Was your problem solved?", "您的问题解决了吗？"),
         [("Yes", "是"), ("Partly", "部分解决"), ("No", "否")], None),
        (K.LONG_TEXT, False, ("How could we have helped better?", "我们怎样能做得更好？"),
         [], None),
    ],
}

COMMENTS = {
    "en": ["Charts are slow to load on 4G.", "Please add a dark mode to the web view.",
           "Withdrawals took too long this week.", "Love the new order panel!",
           "Notifications arrive late during volatile markets.",
           "The grid bot setup is confusing.", "Login with face ID fails sometimes."],
    "zh-hans": ["行情图加载太慢了。", "希望网页版也有深色模式。", "提现到账时间太长。",
                "新的下单面板很好用！", "行情波动时通知延迟。", "网格机器人设置太复杂。",
                "面容登录有时失败。"],
}
CRASHES = {
    "en": ["Opening the futures chart.", "Switching accounts.", "Placing a limit order."],
    "zh-hans": ["打开合约行情页时。", "切换账户时。", "下限价单时。"],
}
MEMBERS = [  # demo members who answered themselves: username, language, NPS, comment
    ("alice", "en", 6, "The chart page freezes when I rotate the phone."),
    ("xiaoming", "zh-hans", 9, "希望支持自定义行情提醒。"),
]
NPS_WEIGHTS = [2, 1, 1, 2, 3, 5, 6, 11, 17, 23, 19]  # scores 0–10


def _translated(obj, **pairs) -> None:
    """Set each field's (English, Chinese) pair on ``obj`` and save it."""
    for index, language in enumerate(("en", "zh-hans")):
        obj.set_current_language(language)
        for name, pair in pairs.items():
            setattr(obj, name, pair[index])
    obj.save()


def _survey(spec: dict) -> Survey:
    survey = Survey.objects.filter(slug=spec["slug"]).first()
    if survey is not None:
        return survey
    fields = {key: value for key, value in spec.items()
              if key not in ("title", "intro", "thank_you", "questions")}
    survey = Survey(is_published=True, **fields)
    _translated(survey, title=spec["title"], intro=spec["intro"], thank_you=spec["thank_you"])
    made = []
    for position, (kind, required, text, options, condition) in enumerate(spec["questions"],
                                                                          start=1):
        question = Question(survey=survey, position=position, kind=kind, required=required)
        if condition:
            about = made[condition[0] - 1]
            question.show_if_question = about
            question.show_if_choice = list(about.choices.all())[condition[1]]
        _translated(question, text=text)
        model = MatrixRow if kind == K.MATRIX else Choice
        for n, label in enumerate(options, start=1):
            _translated(model(question=question, position=n), label=label)
        made.append(question)
    return survey


def _generated_answers(rng: random.Random, questions: list[Question], language: str) -> list:
    """Plausible answers of one respondent: satisfaction follows their NPS score."""
    nps_q, rating_q, phone_q, features_q, matrix_q, crash_q, crash_text_q, improve_q = questions
    score = rng.choices(range(11), weights=NPS_WEIGHTS)[0]
    mood = 5 if score >= 9 else 4 if score >= 7 else rng.choice([1, 2, 2, 3, 3])
    rows = [Answer(question=nps_q, number=score),
            Answer(question=rating_q, number=max(1, min(5, mood + rng.choice([-1, 0, 0, 0]))))]
    if rng.random() < 0.9:
        rows.append(Answer(question=phone_q, choice=rng.choice(list(phone_q.choices.all()))))
    for choice in features_q.choices.all():
        if rng.random() < 0.45:
            rows.append(Answer(question=features_q, choice=choice))
    for row in matrix_q.rows.all():
        if rng.random() < 0.85:
            rows.append(Answer(question=matrix_q, row=row,
                               number=max(1, min(5, mood + rng.choice([-1, 0, 1])))))
    crashed = rng.random() < (0.35 if score <= 6 else 0.12)
    yes, no = crash_q.choices.all()
    rows.append(Answer(question=crash_q, choice=yes if crashed else no))
    if crashed and rng.random() < 0.6:
        rows.append(Answer(question=crash_text_q, text=rng.choice(CRASHES[language])))
    if rng.random() < 0.25:
        rows.append(Answer(question=improve_q, text=rng.choice(COMMENTS[language])))
    return rows


def _generate(survey: Survey) -> None:
    """Anonymous respondents over the last month, a third of them in Chinese."""
    rng = random.Random(2026)
    questions = survey_questions(survey)
    now = timezone.now()
    responses, answers = [], []
    for n in range(GENERATED):
        language = "zh-hans" if rng.random() < 0.35 else "en"
        when = now - timedelta(days=rng.triangular(0, DAYS, 4), minutes=rng.randrange(600))
        responses.append(Response(survey=survey, browser_hash=token_hash(f"demo-{n}"),
                                  status=Response.Status.SUBMITTED, language=language,
                                  submitted_at=when))
        answers.append(_generated_answers(rng, questions, language))
    Response.objects.bulk_create(responses)
    for response, rows in zip(responses, answers, strict=True):
        for row in rows:
            row.response = response
    Answer.objects.bulk_create([row for rows in answers for row in rows])


def _answer_as(survey: Survey, user: User, language: str, score: int, comment: str) -> None:
    """A demo member's own answers, through the service like the page, so their written
    answer reaches the feedback inbox."""
    questions = survey_questions(survey)
    nps_q, rating_q, *_middle, crash_q, _crash_text_q, improve_q = questions
    answers = {nps_q.pk: score, rating_q.pk: 3, crash_q.pk: crash_q.choices.all()[1].pk,
               improve_q.pk: comment}
    response_save(survey=survey, questions=questions, respondent=Respondent(user=user),
                  answers=answers, submit=True, language=language)


def load(stdout) -> None:
    mobile, support = _survey(MOBILE), _survey(SUPPORT)
    if not mobile.responses.exists():
        _generate(mobile)
        users = {user.username: user for user in User.objects.filter(
            username__in=[username for username, *_rest in MEMBERS])}
        for username, language, score, comment in MEMBERS:
            if username in users:
                _answer_as(mobile, users[username], language, score, comment)
    stdout.write(f"Surveys: {mobile.slug} with {mobile.responses.count()} responses "
                 f"(/surveys/{mobile.slug}/results/), {support.slug} for resolved tickets.")
