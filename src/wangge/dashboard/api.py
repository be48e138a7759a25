from ninja import Router

from wangge.accounts.auth import OPTIONAL_AUTH
from wangge.accounts.scope import Scope, scope_of

from .registry import headline as compose

router = Router(tags=["统计"])


@router.get("/headline", response=dict, auth=OPTIONAL_AUTH)
def headline(request):
    """全区公开的主要数据，请求时由数据计算；登录用户看到其范围内的数据。"""
    scope = scope_of(request.user) if request.user.is_authenticated else Scope.district()
    return compose(scope)
