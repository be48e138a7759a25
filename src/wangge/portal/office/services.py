"""Writes of the back office that the publishing services do not cover: the district's own
sensitive words. Each change is audited, since switching a word off lets it be published."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from wangge.core.audit import audit_record

from ..models import SensitiveWord
from ..permissions import may_manage_words
from ..sensitive import CATEGORIES, EXEMPT, load_lexicon, normalise_word, starter_lexicon

WORD_CATEGORIES = (*CATEGORIES, EXEMPT)


def _word(word: str) -> str:
    word = (word or "").strip()
    if not word:
        raise ValidationError({"word": "请填写词语"})
    if len(word) > 50:
        raise ValidationError({"word": "词语不能超过 50 字"})
    if not normalise_word(word):
        raise ValidationError({"word": "词语须含有文字或数字"})
    return word


@transaction.atomic
def sensitive_word_add(*, actor, word: str, category: str) -> SensitiveWord:
    """Add a word to the lexicon, or switch an existing row on again."""
    if not may_manage_words(actor):
        raise PermissionDenied("只有区级干部可以管理敏感词")
    word = _word(word)
    if category not in WORD_CATEGORIES:
        raise ValidationError({"category": f"类别应为{'、'.join(WORD_CATEGORIES)}之一"})
    row = SensitiveWord.objects.select_for_update().filter(word=word).first()
    before = None if row is None else {"category": row.category, "active": row.active}
    row = row or SensitiveWord(word=word)
    row.category, row.active = category, True
    row.full_clean()
    row.save()
    audit_record(action="portal.word_added", obj=row, before=before, after={"word": word, "category": category, "active": True}, user=actor)
    return row


@transaction.atomic
def sensitive_word_switch_off(*, actor, word: str) -> SensitiveWord:
    """Stop flagging a word, whether the district added it or the shipped lexicon lists it (a
    switched-off row overrides the files)."""
    if not may_manage_words(actor):
        raise PermissionDenied("只有区级干部可以管理敏感词")
    word = _word(word)
    row = SensitiveWord.objects.select_for_update().filter(word=word).first()
    before = None if row is None else {"category": row.category, "active": row.active}
    row = row or SensitiveWord(word=word, category=_shipped_category(word))
    row.active = False
    row.full_clean()
    row.save()
    audit_record(action="portal.word_switched_off", obj=row, before=before, after={"word": word, "active": False}, user=actor)
    return row


def _shipped_category(word: str) -> str:
    shipped = list(starter_lexicon())
    for path in settings.WANGGE_SENSITIVE_LEXICONS:
        shipped.extend(load_lexicon(path))
    category = dict(shipped).get(word)
    if category is None:
        raise ValidationError({"word": f"词库中没有“{word}”"})
    return category
