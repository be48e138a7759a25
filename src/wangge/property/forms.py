"""The property office's back-office forms, drawn by the shell's field (`shell/field.html`).
They only parse input; the services in `services/` check and write, and their errors are put
beside the field they name."""

from django import forms
from django.core.exceptions import ValidationError

from wangge.geo.models import Division

from .models import CompanyStaff
from .selectors.records import SUBDISTRICT_KINDS, companies_visible, divisions_kept

_REQUIRED = {"required": "请填写此项"}


class CompanyForm(forms.Form):
    name = forms.CharField(label="企业名称", max_length=100, error_messages=_REQUIRED)
    credit_code = forms.CharField(label="统一社会信用代码", max_length=18, help_text="18 位，末位为校验码", error_messages=_REQUIRED)
    state_owned = forms.BooleanField(label="国有企业", required=False)
    phone = forms.CharField(label="联系电话", max_length=20, required=False)


class CompanyRegisterForm(CompanyForm):
    subdistrict = forms.ModelChoiceField(label="备案街道", queryset=None, error_messages={"required": "请选择备案街道", "invalid_choice": "请选择您辖区内的街道"})

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subdistrict"].queryset = divisions_kept(user, *SUBDISTRICT_KINDS).order_by("code")


class ServiceStartForm(forms.Form):
    company = forms.ModelChoiceField(label="物业服务企业", queryset=None, error_messages={"required": "请选择企业", "invalid_choice": "请选择您辖区内的企业"})
    started_on = forms.DateField(label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"}), error_messages={"invalid": "日期格式应为 年-月-日"})
    manager_id_number = forms.CharField(label="项目经理身份证号", max_length=18, required=False, help_text="须为该企业登记的员工；可留空")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = companies_visible(user).order_by("name")


class ServiceEndForm(forms.Form):
    ended_on = forms.DateField(label="终止日期", required=False, widget=forms.DateInput(attrs={"type": "date"}), help_text="留空为今天", error_messages={"invalid": "日期格式应为 年-月-日"})


class InstructorEndForm(forms.Form):
    ended_on = forms.DateField(label="结束日期", required=False, widget=forms.DateInput(attrs={"type": "date"}), help_text="留空为今天", error_messages={"invalid": "日期格式应为 年-月-日"})


class CompanyAccountForm(forms.Form):
    username = forms.CharField(label="企业账号的用户名", max_length=150, help_text="账号由安全管理员以「物业服务企业」角色开设", error_messages={"required": "请填写用户名"})


class BackstopForm(forms.Form):
    subdistrict = forms.ModelChoiceField(label="街道", queryset=None, error_messages={"required": "请选择街道", "invalid_choice": "请选择您辖区内的街道"})
    company = forms.ModelChoiceField(label="托底企业（国有）", queryset=None, error_messages={"required": "请选择企业", "invalid_choice": "请选择您辖区内的企业"})

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subdistrict"].queryset = divisions_kept(user, *SUBDISTRICT_KINDS).order_by("code")
        self.fields["company"].queryset = companies_visible(user).order_by("-state_owned", "name")


class StaffForm(forms.Form):
    id_number = forms.CharField(label="身份证号", max_length=18, help_text="须已登记为居民或网格力量", error_messages=_REQUIRED)
    post = forms.ChoiceField(label="岗位", choices=CompanyStaff.Post.choices, error_messages={"required": "请选择岗位", "invalid_choice": "请选择列出的岗位"})


class InstructorForm(forms.Form):
    id_number = forms.CharField(label="身份证号", max_length=18, help_text="须为已登记的中共正式党员", error_messages=_REQUIRED)
    sent_by = forms.ModelChoiceField(label="选派单位", queryset=None, error_messages={"required": "请选择选派单位", "invalid_choice": "请选择您辖区内的街道或社区"})
    started_on = forms.DateField(label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"}), help_text="留空为今天", error_messages={"invalid": "日期格式应为 年-月-日"})

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sent_by"].queryset = divisions_kept(user, *SUBDISTRICT_KINDS, Division.Kind.COMMUNITY).order_by("code")


# A service names the person it was given; the form asked for them by ID number.
FIELD_OF = {"person": "id_number", "project_manager": "manager_id_number", "user": "username"}


def errors_to_form(form: forms.Form, invalid: ValidationError) -> None:
    """Put a service's errors beside the fields they name (the rest above the form)."""
    if not hasattr(invalid, "error_dict"):
        form.add_error(None, invalid.messages)
        return
    for field, problems in invalid.message_dict.items():
        field = FIELD_OF.get(field, field)
        form.add_error(field if field in form.fields else None, problems)


