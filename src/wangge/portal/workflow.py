"""The publication life of articles and disclosures, as data (`wangge.core.workflow`).

draft → review (送审) → published (审核发布) → withdrawn (撤回); a reviewer may return a piece
under review to draft (退回), and editing a withdrawn piece makes it a draft again (修改). Every
move is named: the back office and the API offer them by name. Returning and withdrawing must say
why. "editor" is whoever may edit the piece, "reviewer" whoever may edit it and did not submit it
(`permissions`). Each move is kept as an `ArticleTransition` or a `DisclosureTransition`.
"""

from dataclasses import replace

from wangge.core.workflow import Move, Workflow

from .models import Article, ArticleTransition, DisclosureTransition, Publishable, Stage

SUBMIT, APPROVE, RETURN, WITHDRAW, EDIT = "submit", "approve", "return", "withdraw", "edit"

MOVES = (
    Move(Stage.DRAFT, Stage.REVIEW, "editor", name=SUBMIT, label="送审"),
    Move(Stage.REVIEW, Stage.PUBLISHED, "reviewer", name=APPROVE, label="审核发布"),
    Move(Stage.REVIEW, Stage.DRAFT, "reviewer", name=RETURN, label="退回", reason_required=True, reason_missing="退回时须填写审核意见"),
    Move(Stage.PUBLISHED, Stage.WITHDRAWN, "editor", name=WITHDRAW, label="撤回", reason_required=True, reason_missing="撤回时须说明理由"),
    Move(Stage.WITHDRAWN, Stage.DRAFT, "editor", name=EDIT, label="修改"),
)

ARTICLE = Workflow(
    history=ArticleTransition, subject="article", moves=MOVES, field="stage",
    reason_field="review_note", reason_noun="意见", refusal="「{source}」的稿件不能{move}", refusal_field="stage",
)
DISCLOSURE = replace(ARTICLE, history=DisclosureTransition, subject="disclosure")


def workflow_of(item: Publishable) -> Workflow:
    return ARTICLE if isinstance(item, Article) else DISCLOSURE
