"""Tiny views to test the public page cache against, independent of the apps' pages."""

from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from newsletter.models import NewsPost


def page(request):
    return HttpResponse(f"posts={NewsPost.objects.count()} user={request.user.is_authenticated}")


def form_page(request):
    return HttpResponse(f"<form><input name=csrfmiddlewaretoken value={get_token(request)}></form>")


def failing_page(request):
    return HttpResponse(f"gone posts={NewsPost.objects.count()}", status=404)


@csrf_exempt
def write(request):
    if request.method != "POST":
        return HttpResponse(status=405)
    if request.POST.get("fail"):
        return JsonResponse({"error": "bad"}, status=400)
    NewsPost.objects.create(slug=f"p{NewsPost.objects.count()}", title="t", body="b")
    return HttpResponse("ok")


def flash(request):
    messages.info(request, "Saved.")
    return HttpResponse("flashed")


urlpatterns = [
    path("page/", page, name="perf-page"),
    path("form/", form_page, name="perf-form"),
    path("missing/", failing_page, name="perf-missing"),
    path("write/", write, name="perf-write"),
    path("flash/", flash, name="perf-flash"),
]
