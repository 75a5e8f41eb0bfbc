from django.shortcuts import get_object_or_404, render

from .models import Role


def role_list(request):
    return render(request, "roles/role_list.html", {"roles": Role.objects.select_related("committee")})


def role_detail(request, slug):
    role = get_object_or_404(Role.objects.select_related("committee"), slug=slug)
    return render(request, "roles/role_detail.html", {"role": role})
