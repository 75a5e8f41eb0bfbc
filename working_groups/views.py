from django.shortcuts import get_object_or_404, render

from .models import WorkingGroup


def group_list(request):
    return render(request, "working_groups/group_list.html", {"groups": WorkingGroup.objects.all()})


def group_detail(request, slug):
    group = get_object_or_404(WorkingGroup, slug=slug)
    return render(request, "working_groups/group_detail.html", {"group": group})
