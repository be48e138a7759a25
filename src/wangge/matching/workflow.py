"""The workflows of supply and demand, as data (`wangge.core.workflow`).

A need: new → matched (a fair's match signed, or an official) → served → closed; a new or
matched need may be declined, with a reason. A fair: draft → needs published → presenting (路演)
→ matching → signing → closed, each move by an official of the fair's area. A fair's match:
proposed → both sides confirm (意向), in either order → signed (签约) → converted (to a service
project); dropped with a reason at any point before it is signed.
"""

from wangge.core.workflow import Move, Workflow

from .models import Fair, FairMatch, FairMatchStep, FairStep, Need, NeedStep

N, F, M = Need.State, Fair.Status, FairMatch.Status

NEED = Workflow(
    history=NeedStep, subject="need", field="state",
    moves=(
        Move(N.NEW, N.MATCHED, "keeper", label="对接"),
        Move(N.MATCHED, N.SERVED, "keeper", label="确认已服务"),
        Move(N.SERVED, N.CLOSED, "keeper", label="办结"),
        Move(N.NEW, N.DECLINED, "keeper", label="不予受理", reason_required=True, reason_missing="不予受理时须说明原因"),
        Move(N.MATCHED, N.DECLINED, "keeper", label="不予受理", reason_required=True, reason_missing="不予受理时须说明原因"),
    ),
)

FAIR = Workflow(
    history=FairStep, subject="fair",
    moves=(
        Move(F.DRAFT, F.PUBLISHED, "organiser", label="发布需求"),
        Move(F.PUBLISHED, F.PRESENTING, "organiser", label="开始路演"),
        Move(F.PRESENTING, F.MATCHING, "organiser", label="开始匹配"),
        Move(F.MATCHING, F.SIGNING, "organiser", label="开始签约"),
        Move(F.SIGNING, F.CLOSED, "organiser", label="结束"),
    ),
    refusal="社洽会不能从「{source}」转为「{target}」",
)

CONFIRM_NEED, CONFIRM_RESOURCE, SIGN, CONVERT, DROP = "confirm_need", "confirm_resource", "sign", "convert", "drop"

MATCH = Workflow(
    history=FairMatchStep, subject="match",
    moves=(
        Move(M.PROPOSED, M.NEED_CONFIRMED, "need_side", name=CONFIRM_NEED, label="需求方确认"),
        Move(M.RESOURCE_CONFIRMED, M.AGREED, "need_side", name=CONFIRM_NEED, label="需求方确认"),
        Move(M.PROPOSED, M.RESOURCE_CONFIRMED, "resource_side", name=CONFIRM_RESOURCE, label="资源方确认"),
        Move(M.NEED_CONFIRMED, M.AGREED, "resource_side", name=CONFIRM_RESOURCE, label="资源方确认"),
        Move(M.AGREED, M.SIGNED, "need_side", name=SIGN, label="签约"),
        Move(M.SIGNED, M.CONVERTED, "converter", name=CONVERT, label="转为服务项目"),
        *(Move(s, M.DROPPED, "either_side", name=DROP, label="放弃", reason_required=True, reason_missing="放弃对接时须说明原因")
          for s in (M.PROPOSED, M.NEED_CONFIRMED, M.RESOURCE_CONFIRMED, M.AGREED)),
    ),
    refusal="「{source}」的对接不能{move}",
)
