from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cohortkit.accounts.forms import CurrentPasswordForm, SignupForm
from cohortkit.accounts.models import User
from cohortkit.wiki.models import Wiki


class RunWikisForm(forms.Form):
    wikis = forms.ModelMultipleChoiceField(
        label=_("Wikis"),
        queryset=Wiki.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Experience is read from these wikis (edits are added up, the oldest account "
            "counts, groups on any of them count), and so are the participants' edits during "
            "the run. Site staff add wikis in the admin."
        ),
    )
    page_prefix = forms.CharField(
        label=_("Page prefix"),
        max_length=255,
        required=False,
        help_text=_(
            "Count only course edits to pages whose title starts with this, for example "
            "Wikipedia:Partnership Building/. Empty counts every edit."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["wikis"].queryset = Wiki.objects.all()  # type: ignore[attr-defined]


class EditSharingForm(forms.Form):
    is_shared = forms.BooleanField(
        label=_("Show my wiki edits during the course to the facilitators"), required=False
    )


class WikiSignupForm(SignupForm):
    """Sign-up for a verified wiki account: no password (they sign in through the wiki, and
    can set one later with the password reset)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["password1"]
        del self.fields["password2"]

    def save(self, commit: bool = True) -> User:
        user: User = forms.ModelForm.save(self, commit=False)
        user.username = user.email.lower()
        user.set_unusable_password()
        if commit:
            user.save()
        return user


class UnlinkForm(CurrentPasswordForm):
    """Unlinking asks for the current password, which proves the person can still sign in
    without the wiki, and a tick to confirm."""

    confirm = forms.BooleanField(
        label=_("Unlink my wiki account and delete what was read from the wikis about it"),
        required=True,
        error_messages={"required": _("Tick this box to confirm that you want to unlink it.")},
    )
