from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .scope import scope_of
from .selectors import active_layer, grid_list


@login_required
def grid_map(request):
    layer = active_layer()
    top_level = grid_list(scope_of(request.user), layer).order_by("level").values_list("level", flat=True).first()
    return render(request, "geo/grid_map.html", {"layer": layer, "top_level": top_level or 1})
