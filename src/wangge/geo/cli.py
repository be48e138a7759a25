"""`wangge grids import | export | check | activate`: the layer subcommands of `wangge grids`,
mixed into the command, which `wangge.redraw` composes with the subcommands that need people."""

import json
import sys
import uuid
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from . import selectors, services
from .geometry.transform import CRS_CHOICES
from .geometry.validation import LayerInvalid
from .models import GridLayer
from .scope import Scope


def _invalid_line(error: dict) -> str:
    if error["feature"] is None:
        return f"  {error['reason']}"
    code = error.get("code")
    named = f"（网格 {code}）" if code and code not in error["reason"] else ""
    return f"  第 {error['feature'] + 1} 个要素：{error['reason']}{named}"


def _invalid(invalid: LayerInvalid) -> CommandError:
    return CommandError("\n".join([invalid.detail, *map(_invalid_line, invalid.errors)]))


def stored_layer(value: str) -> GridLayer:
    """A stored layer named by its id, its uid or its name."""
    layer = GridLayer.objects.filter(pk=int(value)).first() if value.isdigit() else None
    if layer is None:
        try:
            layer = GridLayer.objects.filter(uid=uuid.UUID(value)).first()
        except ValueError:
            layer = GridLayer.objects.filter(name=value).order_by("-pk").first()
    if layer is None:
        raise CommandError(f"网格图层 {value} 不存在")
    return layer


def _read(path: str, crs: str):
    try:
        return services.layer_parse_bytes(body=Path(path).read_bytes(), crs=crs)
    except OSError as error:
        raise CommandError(f"无法读取文件 {path}：{error.strerror}") from None
    except LayerInvalid as invalid:
        raise _invalid(invalid) from None


def json_dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


class LayerCommands:
    """Mixed into a `BaseCommand`; the system acts (`actor=None`)."""

    def add_layer_arguments(self, sub) -> None:
        imp = sub.add_parser("import", help="导入 GeoJSON 图层（新建为未启用）")
        imp.add_argument("file")
        imp.add_argument("--crs", choices=CRS_CHOICES, default="wgs84")
        imp.add_argument("--name", default="")
        imp.add_argument("--activate", action="store_true", help="导入后立即启用（须无缝）")
        exp = sub.add_parser("export", help="导出图层为 GeoJSON（WGS84）")
        exp.add_argument("layer")
        exp.add_argument("--out", default="-")
        chk = sub.add_parser("check", help="无缝覆盖检查；无缝时退出码为 0")
        chk.add_argument("target", help="图层编号或 GeoJSON 文件")
        chk.add_argument("--crs", choices=CRS_CHOICES, default="wgs84")
        chk.add_argument("--tolerance", type=float, default=None, help="面积容差（平方米），默认 1")
        chk.add_argument("--json", action="store_true")
        act = sub.add_parser("activate", help="启用图层（须无缝）")
        act.add_argument("layer")
        act.add_argument("--reason", default="")

    def _import(self, file, crs, name, activate, **_):
        features = _read(file, crs)
        layer = services.grid_layer_import(features=features, name=name or Path(file).stem, crs=crs)
        self.stdout.write(f"已导入图层 {layer.pk}：{len(features)} 个网格")
        if activate:
            self._activate(str(layer.pk), reason="导入后启用")

    def _export(self, layer, out, **_):
        collection = selectors.layer_feature_collection(Scope.district(), stored_layer(layer))
        text = json.dumps(collection, ensure_ascii=False)
        if out == "-":
            self.stdout.write(text)
        else:
            Path(out).write_text(text, encoding="utf-8")
            self.stdout.write(f"已导出 {len(collection['features'])} 个网格到 {out}")

    def _check(self, target, crs, tolerance, json, **_):
        if target.isdigit():
            report = services.coverage_of_layer(layer=stored_layer(target), tolerance_m2=tolerance)
        else:
            report = services.coverage_of_features(_read(target, crs), tolerance_m2=tolerance)
        if json:
            self.stdout.write(json_dumps(report))
        else:
            self._print_report(report)
        if not report["seamless"]:
            sys.exit(1)

    def _print_report(self, report):
        if report["seamless"]:
            self.stdout.write("无缝覆盖：没有缝隙、重叠或越界。")
            return
        for gap in report["gaps"]:
            self.stdout.write(f"缝隙：上级 {gap['parent']} 内 {gap['area_m2']} 平方米未被覆盖，位于 {gap['point']}")
        for overlap in report["overlaps"]:
            self.stdout.write(f"重叠：{overlap['grids'][0]} 与 {overlap['grids'][1]} 重叠 {overlap['area_m2']} 平方米，位于 {overlap['point']}")
        for outside in report["outside"]:
            self.stdout.write(f"越界：{outside['grid']} 有 {outside['area_m2']} 平方米超出上级")

    def _activate(self, layer, reason="", **_):
        try:
            services.grid_layer_activate(layer=stored_layer(layer), reason=reason)
        except services.LayerNotSeamless as refused:
            self._print_report(refused.report)
            raise CommandError(str(refused)) from None
        except ValidationError as invalid:  # what stands on the net refused to follow (hooks)
            raise CommandError("；".join(invalid.messages)) from None
        self.stdout.write(f"已启用图层 {layer}")
