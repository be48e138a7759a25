"""The caller's own API tokens: listed (never the secret, which is not kept) and revoked."""

from datetime import datetime

from ninja import Router, Schema, Status

from .auth import token_revoke, tokens_of

router = Router(tags=["账号"])


class TokenOut(Schema):
    id: int
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime


@router.get("/tokens", response=list[TokenOut])
def token_list(request):
    return list(tokens_of(user=request.user).values("id", "created_at", "last_used_at", "expires_at"))


@router.delete("/tokens/{token_id}", response={204: None})
def token_delete(request, token_id: int):
    """Another user's token answers as a missing one (404)."""
    token_revoke(token_id=token_id, actor=request.user)
    return Status(204, None)
