"""Back-office pages for redrawing the net: run the engine on the platform's own buildings,
compare the proposal with the current layer, save it as a new inactive layer, and switch to it
with its staff in one reviewed step. District-wide grid-layer managers only."""

import hashlib
import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from wangge.geo import permissions, services
from wangge.geo.delineation import io
from wangge.geo.models import GridLayer
from wangge.geo.selectors import active_layer, grid_counts_by_level

from .inputs import RunOptions, platform_run
from .reattach import PlanStale, layer_switch, reattach_plan
from .save import proposal_save

_NUMBER = {"required": "请填写此项", "invalid": "应为整数", "min_value": "不能小于 %(limit_value)s", "max_value": "不能大于 %(limit_value)s"}


class RedrawForm(forms.Form):
    min = forms.IntegerField(label="每格户数下限", initial=300, min_value=1, max_value=100_000, error_messages=_NUMBER)
    max = forms.IntegerField(label="每格户数上限", initial=500, min_value=1, max_value=100_000, error_messages=_NUMBER)
    seed = forms.IntegerField(label="随机种子", initial=0, min_value=0, max_value=2**32 - 1, error_messages=_NUMBER)
    repair = forms.BooleanField(label="只调整不合规的现有网格", required=False)

    def clean(self):
        data = super().clean()
        if not self.errors:
            try:
                self.options().check()
            except ValidationError as invalid:
                for field, problems in invalid.message_dict.items():
                    self.add_error(field, problems)
        return data

    def options(self) -> RunOptions:
        d = self.cleaned_data
        return RunOptions(min=d["min"], max=d["max"], seed=d["seed"], repair=d["repair"])


class SaveForm(RedrawForm):
    name = forms.CharField(label="新图层名称", max_length=100, required=False)
    digest = forms.CharField(widget=forms.HiddenInput, error_messages={"required": "缺少方案校验码，请重新计算"})


class SwitchForm(forms.Form):
    new = forms.IntegerField(widget=forms.HiddenInput)
    digest = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(label="调整原因", max_length=200, error_messages={"required": "请填写调整原因"})


def _require_manager(user) -> None:
    if not permissions.can_manage_grid_layers(user):
        raise PermissionDenied("只有区级网格图层管理人员可以重新划分网格")


def _digest(result) -> str:
    return hashlib.sha256(json.dumps(io.result_to_geojson(result), ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def _map_data(result) -> str:
    """The proposal for the map: outlines at about 10 cm and what the colours need."""
    collection = io.result_to_geojson(result)
    for feature in collection["features"]:
        p = feature["properties"]
        feature["properties"] = {"code": p["code"], "households": p["households"], "in_bounds": p["in_bounds"], "flag": p["flag"]}
        feature["geometry"] = json.loads(json.dumps(feature["geometry"]), parse_float=lambda x: round(float(x), 6))
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":"))


@login_required
def redraw(request):
    _require_manager(request.user)
    layer = active_layer()
    form = RedrawForm(request.GET if "min" in request.GET else None)
    context = {"form": form, "layer": layer}
    if layer is not None and form.is_bound and form.is_valid():
        result, layer = platform_run(options=form.options(), layer=layer)
        report = io.result_report(result)
        names = dict(layer.grids.filter(level=2).values_list("code", "name"))
        for row in report["grids"]:
            row["community_name"] = names.get(row["community"] + "000", row["community"])
            row["crossing_count"] = len(row["crossings"])
        save = SaveForm(initial={**form.cleaned_data, "digest": _digest(result), "name": f"重新划分（{form.cleaned_data['min']}–{form.cleaned_data['max']} 户）"})
        totals = report["totals"]
        context.update(report=report, totals=totals, within_pct=f"{totals['within_bounds_share']:.1%}",
                       moved_pct="—" if totals["moved_share"] is None else f"{totals['moved_share']:.1%}", save_form=save, proposal=_map_data(result), options=form.cleaned_data,
                       infeasible_communities=sorted({e.get("community") or "社区外" for e in report["infeasible"]}))
    return render(request, "redraw/redraw.html", context)


@login_required
@require_POST
def redraw_save(request):
    _require_manager(request.user)
    form = SaveForm(request.POST)
    layer = active_layer()
    if layer is None or not form.is_valid():
        return render(request, "redraw/redraw.html", {"form": form, "layer": layer, "save_errors": form.errors}, status=400)
    result, layer = platform_run(options=form.options(), layer=layer)
    if _digest(result) != form.cleaned_data["digest"]:
        form.add_error(None, "楼栋或图层在计算后已有变动，方案与所见不同：请重新计算后再保存")
        return render(request, "redraw/redraw.html", {"form": form, "layer": layer, "save_errors": form.errors}, status=409)
    try:
        saved = proposal_save(result=result, name=form.cleaned_data["name"], actor=request.user, from_layer=layer)
    except services.LayerNotSeamless as refused:
        form.add_error(None, f"{refused}：缝隙 {len(refused.report['gaps'])} 处，重叠 {len(refused.report['overlaps'])} 处")
        return render(request, "redraw/redraw.html", {"form": form, "layer": layer, "save_errors": form.errors}, status=409)
    return redirect(f"{reverse('grid-redraw-saved')}?layer={saved.pk}")


@login_required
def redraw_saved(request):
    _require_manager(request.user)
    layer = get_object_or_404(GridLayer, pk=_int(request.GET.get("layer")))
    coverage = services.coverage_of_layer(layer=layer)
    return render(request, "redraw/redraw_saved.html", {"layer": layer, "coverage": coverage, "counts": grid_counts_by_level(layer.grids.all())})


def _int(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None


@login_required
def switch(request):
    """The review page: what activating a layer would move, from the active layer's grids."""
    _require_manager(request.user)
    old = active_layer()
    new = GridLayer.objects.filter(pk=_int(request.GET.get("to"))).first()
    context = {"layers": GridLayer.objects.filter(is_active=False), "old": old, "new": new}
    if old is not None and new is not None and old.pk != new.pk:
        plan = reattach_plan(old_layer=old, new_layer=new)
        context.update(plan=plan, counts=_count_rows(plan), conflicts=plan.conflicts(),
                       apply_form=SwitchForm(initial={"new": new.pk, "digest": plan.digest}))
    elif new is not None:
        context["same"] = True
    return render(request, "redraw/redraw_switch.html", context)


def _count_rows(plan) -> list[dict]:
    labels = {"post": "网格岗位", "party": "网格党组织", "social": "社会组织", "user": "账号数据范围"}
    actions = {"move": "迁移", "demote": "转任副网格长", "drop": "删除重复岗位", "detach": "暂不挂靠网格"}
    return [{"kind": labels[k.split(".")[0]], "action": actions[k.split(".")[1]], "count": n} for k, n in sorted(plan.counts().items())]


@login_required
@require_POST
def switch_submit(request):
    _require_manager(request.user)
    form = SwitchForm(request.POST)
    back = f"{reverse('grid-switch')}?to={_int(request.POST.get('new')) or ''}"
    if not form.is_valid():
        for problems in form.errors.values():
            for problem in problems:
                messages.error(request, f"未执行：{problem}")
        return redirect(back)
    d = form.cleaned_data
    new = get_object_or_404(GridLayer, pk=d["new"])
    # The plan the official reviewed, named by its digest: the switch re-derives it and refuses
    # a plan whose data has changed since.
    try:
        counts = layer_switch(new_layer=new, digest=d["digest"], actor=request.user, reason=d["reason"])
    except PlanStale as stale:
        messages.error(request, f"未执行：{stale}")
        return redirect(back)
    except services.LayerNotSeamless as refused:
        messages.error(request, f"未执行：{refused}")
        return redirect(back)
    except ValidationError as invalid:
        for problem in invalid.messages:
            messages.error(request, f"未执行：{problem}")
        return redirect(back)
    messages.success(request, f"已启用图层 {new.pk}，并在同一步骤中挂靠岗位、党组织、社会组织和网格员账号共 {sum(counts.values())} 项")
    return redirect(f"{reverse('grid-redraw-saved')}?layer={new.pk}")
