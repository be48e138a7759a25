"""`wangge grids delineate | merge | switch`: the redraw subcommands of `wangge grids`."""

import json
import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from tqdm import tqdm

from wangge.geo.cli import stored_layer
from wangge.geo.delineation import delineate, io
from wangge.geo.models import GridLayer
from wangge.geo.selectors import active_layer

from .inputs import RunOptions, division_names, existing_of_layer, layer_frame, platform_inputs
from .mapping import legacy_grids_from_geojson, legacy_mapping, platform_buildings, stored_grids
from .reattach import PlanStale, layer_switch, reattach_plan


def _dumps(value) -> str:
    # sort_keys and no timing: the same input and seed give the same bytes (see delineation.io)
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _read_json(path: str, what: str) -> dict:
    try:
        return json.loads(Path(path).read_bytes())
    except OSError as error:
        raise CommandError(f"无法读取{what}文件 {path}：{error.strerror}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CommandError(f"{what}文件 {path} 不是有效的 JSON：{error}") from None


def _parsed(reader, path: str, what: str):
    try:
        return reader(_read_json(path, what))
    except ValueError as error:  # the engine's readers name the row and field
        raise CommandError(f"{path}：{error}") from None


def _errors(invalid: ValidationError) -> CommandError:
    return CommandError("；".join(f"{field}：{'；'.join(messages)}" for field, messages in invalid.message_dict.items()))


class RedrawCommands:
    """Mixed into the `grids` command."""

    def add_redraw_arguments(self, sub) -> None:
        de = sub.add_parser("delineate", help="按楼栋自动划分三级网格，输出 GeoJSON 方案与报告")
        de.add_argument("--buildings", help="楼栋 GeoJSON（点或轮廓，含 id、households、population）")
        de.add_argument("--communities", help="社区 GeoJSON（面，含 12 位 code）")
        de.add_argument("--from-platform", action="store_true", help="使用平台自己的楼栋与启用图层的二级网格（社区）")
        de.add_argument("--existing", help="现有三级网格：图层编号、uid、名称或 GeoJSON 文件（沿用编码）")
        de.add_argument("--barriers", help="障碍线 GeoJSON（道路、河流等）")
        de.add_argument("--min", type=int, default=300, help="每格户数下限，默认 300")
        de.add_argument("--max", type=int, default=500, help="每格户数上限，默认 500")
        de.add_argument("--seed", type=int, default=0)
        de.add_argument("--repair", action="store_true", help="只调整不合规的现有网格")
        de.add_argument("--out", required=True, help="输出的方案 GeoJSON")
        de.add_argument("--report", help="输出的报告 JSON")
        me = sub.add_parser("merge", help="旧图层与新图层对照：每个旧网格落入哪些新网格及户数占比")
        me.add_argument("sources", nargs="+", metavar="LAYER_OR_FILE")
        me.add_argument("--onto", help="新图层（编号、uid 或名称），默认为启用图层")
        me.add_argument("--out", help="写出 JSON 文件")
        ra = sub.add_parser("switch", help="启用新图层，同一步骤中把岗位、党组织、社会组织和网格员账号挂靠到新图层（先显示方案）")
        ra.add_argument("new", metavar="LAYER", help="要启用的图层（编号、uid 或名称）")
        ra.add_argument("--apply", action="store_true", help="启用并挂靠（不加时只显示方案）")
        ra.add_argument("--reason", default="", help="调整原因（启用时必填）")
        ra.add_argument("--json", action="store_true", help="以 JSON 输出完整方案")

    # delineate

    def _delineate(self, out, report, from_platform, min, max, seed, repair, **options):
        run = RunOptions(min=min, max=max, seed=seed, repair=repair)
        try:
            run.check()
        except ValidationError as invalid:
            raise _errors(invalid) from None
        buildings, communities, existing, frame = self._delineate_inputs(from_platform, options)
        if repair and existing is None:
            raise CommandError("--repair 需要现有网格：请给出 --existing 或使用 --from-platform")
        barriers = _parsed(io.barriers_from_geojson, options["barriers"], "障碍线") if options["barriers"] else []
        with tqdm(total=len(communities), desc="划分社区", unit="个", file=sys.stderr, leave=False) as bar:
            result = delineate(
                buildings, communities, barriers=barriers, existing=existing, options=run.engine(),
                progress=lambda done, total: bar.update(done - bar.n),
            )
        Path(out).write_text(_dumps(io.layer_to_geojson(result, frame)), encoding="utf-8")
        summary = io.result_report(result)
        if report:
            Path(report).write_text(_dumps(summary), encoding="utf-8")
        self._delineate_summary(summary, out)

    def _delineate_inputs(self, from_platform, options):
        if from_platform:
            if options["buildings"] or options["communities"]:
                raise CommandError("--from-platform 与 --buildings/--communities 不能同时使用")
            layer = active_layer()
            if layer is None:
                raise CommandError("尚未启用任何网格图层，无法使用 --from-platform")
            buildings, communities, existing = platform_inputs(layer)
            if options["existing"]:
                existing = self._existing(options["existing"])
            return buildings, communities, existing, layer_frame(layer)
        if not options["buildings"] or not options["communities"]:
            raise CommandError("请给出 --buildings 和 --communities，或使用 --from-platform")
        buildings = _parsed(io.buildings_from_geojson, options["buildings"], "楼栋")
        communities = _parsed(io.communities_from_geojson, options["communities"], "社区")
        existing = self._existing(options["existing"]) if options["existing"] else None
        return buildings, communities, existing, io.communities_frame(communities, division_names(c.code for c in communities))

    def _existing(self, value: str):
        if Path(value).is_file():
            return _parsed(io.existing_from_geojson, value, "现有网格")
        return existing_of_layer(self._stored_layer(value))

    def _stored_layer(self, value: str) -> GridLayer:
        return stored_layer(value)

    def _delineate_summary(self, summary: dict, out: str) -> None:
        totals = summary["totals"]
        infeasible = sorted({e.get("community") or "（社区外楼栋）" for e in summary["infeasible"]})
        moved = "—" if totals["moved_share"] is None else f"{totals['moved_share']:.1%}"
        self.stdout.write(
            f"已写出 {out}：网格 {totals['grids']} 个，户数在范围内的网格占 {totals['within_bounds_share']:.1%}，"
            f"变更网格的户数占 {moved}，无法满足要求的社区 {len(infeasible)} 个"
            + (f"：{'、'.join(infeasible)}" if infeasible else "")
        )

    # merge

    def _merge(self, sources, onto, out, **_):
        target = self._stored_layer(onto) if onto else active_layer()
        if target is None:
            raise CommandError("尚未启用任何网格图层：请用 --onto 指定新图层")
        new_grids, buildings = stored_grids(target), platform_buildings()
        layers = []
        for source in sources:
            if Path(source).is_file():
                legacy = _parsed(legacy_grids_from_geojson, source, "旧图层")
            else:
                legacy = stored_grids(self._stored_layer(source))
            layers.append({"source": source, "grids": legacy_mapping(legacy, new_grids, buildings)})
        report = {"onto": target.pk, "layers": layers}
        if out:
            Path(out).write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
            self.stdout.write(f"已写出 {out}：{sum(len(layer['grids']) for layer in layers)} 个旧网格对照到图层 {target.pk}")
            return
        for layer in layers:
            self.stdout.write(f"== {layer['source']} → 图层 {target.pk} ==")
            for entry in layer["grids"]:
                parts = "，".join(f"{o['grid'] or '新图层外'} {o['share']:.1%}" for o in entry["overlaps"]) or "无"
                note = f"（{entry['note']}）" if entry["note"] else ""
                self.stdout.write(f"{entry['legacy']}（{entry['households']} 户）→ {parts}{note}")

    # switch

    def _switch(self, new, apply, reason, json, **_):
        old_layer, new_layer = active_layer(), self._stored_layer(new)
        if old_layer is None or old_layer.pk == new_layer.pk:
            raise CommandError(f"图层 {new_layer.pk} 已在启用中，或尚无启用图层（首次启用请用 wangge grids activate）")
        plan = reattach_plan(old_layer=old_layer, new_layer=new_layer)
        if json:
            self.stdout.write(_dumps({"digest": plan.digest, "grids": plan.grids, "items": plan.items, "blocking": plan.blocking}))
        else:
            self._print_plan(plan)
        if not apply:
            return
        try:
            counts = layer_switch(new_layer=new_layer, digest=plan.digest, reason=reason)
        except ValidationError as invalid:
            raise _errors(invalid) from None
        except PlanStale as stale:
            raise CommandError(str(stale)) from None
        self.stdout.write(f"已启用图层 {new_layer.pk}，并挂靠 {sum(counts.values())} 项")

    def _print_plan(self, plan) -> None:
        labels = {"post": "岗位", "party": "党组织", "social": "社会组织", "user": "账号"}
        actions = {"move": "迁移", "demote": "转任副网格长", "drop": "删除重复", "detach": "暂不挂靠"}
        self.stdout.write(f"启用方案：图层 {plan.old_layer} → 图层 {plan.new_layer}（{len(plan.grids)} 个原网格）")
        for key, n in sorted(plan.counts().items()):
            kind, action = key.split(".")
            self.stdout.write(f"  {labels[kind]}{actions[action]}：{n}")
        for item in plan.conflicts():
            self.stdout.write(f"  ! {labels[item['kind']]} {item['label']}：{item['old']} → {item['new'] or '—'}，{item['note']}")
        for line in plan.blocking:
            self.stdout.write(f"  × {line}")
