"""What the portal's back-office API takes and gives. Text fields are checked by the publishing
services, whose messages name the field in Chinese; the schemas only fix the types."""

from datetime import datetime

from ninja import Field, Schema


class ArticleIn(Schema):
    section: str = Field("", description="栏目代码：media、notices、work、policy ……")
    title: str = ""
    summary: str = ""
    body: str = Field("", description="HTML，保存时按白名单清洗")
    source: str = ""
    author: str = ""
    meta_keywords: str = ""
    meta_description: str = ""


class ArticlePatch(Schema):
    """Only the fields given are changed (a draft or withdrawn piece only)."""

    section: str | None = None
    title: str | None = None
    summary: str | None = None
    body: str | None = None
    source: str | None = None
    author: str | None = None
    meta_keywords: str | None = None
    meta_description: str | None = None


class DisclosureIn(Schema):
    kind: str = Field("", description="公开类型代码，见 kinds")
    subject_type: str = Field("", description="公开对象类型，如 project、deliberation、rating")
    subject_id: str = ""
    area_code: str = Field("", description="街道、社区或网格代码；空为全区")
    title: str = ""
    body: str = Field("", description="HTML，保存时按白名单清洗")
    shown_from: datetime | None = Field(None, description="不填时自保存时起")
    shown_until: datetime | None = Field(None, description="不填时按公开类型的默认天数")


class DisclosurePatch(Schema):
    kind: str | None = None
    subject_type: str | None = None
    subject_id: str | None = None
    area_code: str | None = None
    title: str | None = None
    body: str | None = None
    shown_from: datetime | None = None
    shown_until: datetime | None = None


class NoteIn(Schema):
    note: str = Field("", description="退回或撤回的理由（必填，由服务校验）")


class ApproveIn(Schema):
    accept_flags: str = Field("", description="稿件含敏感词时的放行理由")


class AnswerIn(Schema):
    answer: str = ""


class FlagOut(Schema):
    field: str
    word: str
    category: str
    excerpt: str


class PieceOut(Schema):
    id: int
    stage: str
    stage_label: str
    title: str
    body: str
    created_by: str
    submitted_by: str | None
    reviewed_by: str | None
    review_note: str
    flags: list[FlagOut]
    flags_accepted: str
    published_at: datetime | None
    digest: str
    actions: list[str]


class ArticleOut(PieceOut):
    section: str
    summary: str
    source: str
    author: str
    meta_keywords: str
    meta_description: str


class DisclosureOut(PieceOut):
    kind: str
    kind_name: str
    subject_type: str
    subject_id: str
    area_code: str
    shown_from: datetime
    shown_until: datetime


class ObjectionOut(Schema):
    id: int
    number: str
    disclosure_id: int
    disclosure_title: str
    text: str
    name: str  # masked
    submitted_at: datetime
    state: str
    answer: str
    answered_at: datetime | None


class KindOut(Schema):
    code: str
    name: str
    objections: bool
    days: int
