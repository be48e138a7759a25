import csv

import numpy as np
from django.core.management.base import BaseCommand, CommandError

from wangge.geo import locator
from wangge.geo.cli import LayerCommands, json_dumps

from ...cli import RedrawCommands
from ...workers import with_grid_workers


class Command(LayerCommands, RedrawCommands, BaseCommand):
    help = "网格图层：导入、导出、无缝覆盖检查、启用、定位、自动划分、旧图层对照、人员重新挂靠"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        self.add_layer_arguments(sub)
        loc = sub.add_parser("locate", help="定位坐标所在网格")
        loc.add_argument("lon", nargs="?", type=float)
        loc.add_argument("lat", nargs="?", type=float)
        loc.add_argument("--csv", help="批量定位：含 lon、lat 两列的 CSV 文件")
        loc.add_argument("--out", help="批量定位结果 CSV")
        self.add_redraw_arguments(sub)

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")(**options)

    def _locate(self, lon, lat, csv, out, **_):
        if csv:
            self._locate_csv(csv, out)
            return
        if lon is None or lat is None:
            raise CommandError("请给出经度和纬度，或用 --csv 批量定位")
        [found] = with_grid_workers([locator.locate(lon, lat)])
        if found is None:
            raise CommandError(f"坐标 ({lon}, {lat}) 不在本区的网格内")
        self.stdout.write(json_dumps(found))

    def _locate_csv(self, source, out):
        if not out:
            raise CommandError("批量定位需要 --out 指定结果文件")
        with open(source, newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.DictReader(handle))
        for n, row in enumerate(rows, start=2):
            try:
                row["_lon"], row["_lat"] = float(row.get("lon", "")), float(row.get("lat", ""))
            except ValueError:
                raise CommandError(f"第 {n} 行：lon、lat 应为数字") from None
        found = with_grid_workers(locator.locate_many(np.array([r["_lon"] for r in rows]), np.array([r["_lat"] for r in rows])))
        columns = [c for c in (rows[0].keys() if rows else ["lon", "lat"]) if not c.startswith("_")]
        extra = ["subdistrict", "community", "grid_1", "grid_2", "grid_3", "grid_worker"]
        with open(out, "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns + extra, extrasaction="ignore")
            writer.writeheader()
            for row, place in zip(rows, found, strict=True):
                place = place or {"subdistrict": "", "community": "", "grids": {}, "grid_worker": ""}
                writer.writerow(
                    {**row, "subdistrict": place["subdistrict"], "community": place["community"], "grid_worker": place["grid_worker"] or "",
                     **{f"grid_{k}": place["grids"].get(k, "") for k in "123"}}
                )
        located = sum(1 for p in found if p)
        self.stdout.write(f"已定位 {located}/{len(rows)} 个点，结果写入 {out}")
