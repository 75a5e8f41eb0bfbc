from django.shortcuts import get_object_or_404, render

from .models import NewsPost


def news_list(request):
    posts = NewsPost.objects.published().select_related("author__profile")
    return render(request, "newsletter/news_list.html", {"posts": posts})


def news_detail(request, slug):
    post = get_object_or_404(NewsPost.objects.published().select_related("author__profile"), slug=slug)
    return render(request, "newsletter/news_detail.html", {"post": post})
