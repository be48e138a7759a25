"""The Django admin in the back office's look, speaking Chinese whatever the browser asks."""

from django.test import Client
from django.utils import timezone

from wangge.accounts.models import User


def test_the_admin_takes_the_brand_and_speaks_only_chinese(db):
    admin = User.objects.create_superuser(username="keeper", password="Aa1-keeper-password", password_changed_at=timezone.now())
    client = Client(headers={"Accept-Language": "en-US,en;q=0.9"})
    client.force_login(admin)
    page = client.get("/admin/").content.decode()
    assert "wangge/admin.css" in page and 'class="brand-mark"' in page and "网格化基层治理平台" in page
    assert "数据维护" in page and "注销" in page
    assert "Log out" not in page and "Site administration" not in page and "Recent actions" not in page
    listing = client.get("/admin/accounts/user/").content.decode()
    assert "用户" in listing and "Select user to change" not in listing
