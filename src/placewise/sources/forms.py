from django import forms
from django.conf import settings


class UploadForm(forms.Form):
    file = forms.FileField(
        label="File to load",
        error_messages={"required": "Choose the file to load.", "empty": "The file is empty."},
        help_text="Annex A workbook (.xlsx or a list as .csv), SSDA903 table (.csv), "
        "CIN census (.xml) or a partner CSV with its mapping file.",
    )
    mapping = forms.FileField(
        label="Mapping file (partner CSVs only)",
        required=False,
        help_text="The TOML file that names your columns.",
    )
    dry_run = forms.BooleanField(label="Check only: validate without loading", required=False)
    skip_bad_rows = forms.BooleanField(
        label="Load the good rows and list the rest",
        required=False,
        help_text="Without this, a file with any row in error loads nothing, so you can fix "
        "it and load it whole.",
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        limit = settings.PLACEWISE_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                f"The file is {upload.size:,} bytes, over this place's limit of {limit:,}."
            )
        return upload
