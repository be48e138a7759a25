"""Forms of the people pages, drawn by the shell's field (`shell/field.html`): label, control,
and the field's own error beside it."""

from django import forms

XLSX_TYPES = ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class WorkbookUploadForm(forms.Form):
    file = forms.FileField(label="选择文件", widget=forms.FileInput(attrs={"accept": XLSX_TYPES}),
                           error_messages={"required": "请选择要导入的 .xlsx 文件", "empty": "上传的文件是空的"})


def upload_form(kind_name: str, data=None, files=None) -> WorkbookUploadForm:
    # One form per kind on the page: the ids differ, the field's name stays "file" for the API's sake.
    return WorkbookUploadForm(data, files, auto_id=f"id_{kind_name}_%s")
