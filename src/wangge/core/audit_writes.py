"""Every write to the platform's records lands in the audit trail, with before and after.

Capturing writes at the model layer (rather than asking each service to remember) is what
makes "every write" hold for code written later too. Signals here do no business work: they
only describe what happened. Bulk operations (imports, layer activation) bypass model signals
and record themselves through `audit_record` where they run.

Snapshots keep no secrets: encrypted fields appear masked, password and token columns not at
all, and geometries as their SM3 digest (a grid's outline is large and not personal).
"""

from django.apps import apps
from django.db.models import JSONField
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from . import crypto, pii
from .audit import audit_record

AUDITED_APPS = ("accounts", "cases", "geo", "people", "portal", "matching", "property")
# The floor's own records (the trail itself, the outbox, Idempotency-Key claims) are in no audited app.
NOT_AUDITED = {"accounts.loginattempt", "accounts.passwordhistory", "portal.articleview"}
HIDDEN = {"password", "digest", "last_login", "secret"}
MASKS = {"id_number": pii.mask_id, "phone": pii.mask_phone}


def _value(instance, field):
    value = field.value_from_object(instance)
    if isinstance(field, pii.EncryptedField):
        return (MASKS.get(field.name) or pii.mask_text)(value or "")
    if isinstance(field, JSONField) and value is not None:
        return "sm3:" + crypto.sm3_hex(repr(value).encode())
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def snapshot(instance) -> dict:
    return {f.attname: _value(instance, f) for f in instance._meta.concrete_fields if f.name not in HIDDEN}


def _audited(sender) -> bool:
    meta = sender._meta
    return meta.app_label in AUDITED_APPS and meta.label_lower not in NOT_AUDITED


def _before_save(sender, instance, raw=False, **kwargs):
    if raw or not _audited(sender) or instance.pk is None:
        return
    old = sender._default_manager.filter(pk=instance.pk).first()
    instance._audit_before = snapshot(old) if old is not None else None


def audit_as(instance, action: str, *, user=None, detail: str = "") -> None:
    """Names the row that the next save of `instance` writes, with who did it and why: a
    service's change is then audited once, by the signal, under the service's own action."""
    instance._audit_as = (action, user, detail)


def _after_save(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw or not _audited(sender):
        return
    named = instance.__dict__.pop("_audit_as", None)
    after = snapshot(instance)
    before = getattr(instance, "_audit_before", None)
    if created or before is None:
        audit_created(instance, after)
        return
    # A named change records every field its save names, changed or not (disabling a disabled
    # account, granting the role a user already has with a new scope).
    changed = {k for k in after if after[k] != before.get(k)}
    if named:
        changed |= {k for k in update_fields or () if k in after}
    if changed:
        action, user, detail = named or (f"{sender._meta.label_lower}.updated", None, "")
        audit_record(
            action=action,
            obj=instance,
            user=user,
            detail=detail,
            before={k: before.get(k) for k in sorted(changed)},
            after={k: after[k] for k in sorted(changed)},
        )


def audit_created(instance, after: dict | None = None) -> None:
    """The audit row of a new record; also for records inserted without a save (`wangge.core.rows`)."""
    audit_record(action=f"{instance._meta.label_lower}.created", obj=instance, after=after or snapshot(instance))


def _after_delete(sender, instance, **kwargs):
    if _audited(sender):
        audit_record(action=f"{sender._meta.label_lower}.deleted", obj=instance, before=snapshot(instance))


def _links_changed(sender, instance, action, model, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear") or not _audited(type(instance)):
        return
    verb = {"post_add": "added", "post_remove": "removed", "post_clear": "cleared"}[action]
    audit_record(
        action=f"{instance._meta.label_lower}.links_{verb}",
        obj=instance,
        after={"model": model._meta.label_lower, "ids": sorted(pk_set or [])},
    )


def connect() -> None:
    for model in apps.get_models():
        if _audited(model):
            pre_save.connect(_before_save, sender=model, dispatch_uid=f"audit-pre-{model._meta.label_lower}")
            post_save.connect(_after_save, sender=model, dispatch_uid=f"audit-post-{model._meta.label_lower}")
            post_delete.connect(_after_delete, sender=model, dispatch_uid=f"audit-del-{model._meta.label_lower}")
    m2m_changed.connect(_links_changed, dispatch_uid="audit-m2m")
