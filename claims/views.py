from django.shortcuts import get_object_or_404, render

from .models import Claim, Metal, Question


def home(request):
    questions = Question.objects.with_claim_counts()
    return render(request, "claims/home.html", {"questions": questions})


def question_detail(request, slug):
    question = get_object_or_404(Question, slug=slug)
    claims = list(Claim.objects.public().for_question(question).with_related())
    outcome = question.compare(claims)
    rows = [(claim, outcome.standings.get(claim.ref)) for claim in claims]
    return render(
        request,
        "claims/question_detail.html",
        {"question": question, "rows": rows, "outcome": outcome},
    )


def metal_detail(request, symbol):
    metal = get_object_or_404(Metal, symbol=symbol)
    return render(request, "claims/metal_detail.html", {"metal": metal})
