import unicodedata
from collections.abc import Iterator
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from cohortkit.accounts import throttle
from cohortkit.accounts.languages import (
    is_known_language,
    offered_content_languages,
    own_name,
    page_language,
)
from cohortkit.accounts.models import User
from cohortkit.accounts.timezones import canonical_zone, validate_timezone, zone_names
from cohortkit.notifications.services import queue_mail

LANGUAGE_CHOICES = [
    ("ar", "العربية"),
    ("bn", "বাংলা"),
    ("de", "Deutsch"),
    ("en", "English"),
    ("es", "Español"),
    ("fa", "فارسی"),
    ("fr", "Français"),
    ("hi", "हिन्दी"),
    ("id", "Bahasa Indonesia"),
    ("it", "Italiano"),
    ("ja", "日本語"),
    ("pt", "Português"),
    ("ru", "Русский"),
    ("sw", "Kiswahili"),
    ("uk", "Українська"),
    ("ur", "اردو"),
    ("zh", "中文"),
]


def _password_rules() -> str:
    # Help texts are printed as text (docs/security.md): Django's HTML list would show its tags.
    return " ".join(password_validation.password_validators_help_texts())


password_rules = lazy(_password_rules, str)


class TimezoneField(forms.CharField):
    """A free-text IANA zone with a datalist of known zones; the browser's zone is offered."""

    default_validators = [validate_timezone]

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault(
            "help_text",
            _(
                "Your IANA time zone, for example America/Lima or Asia/Kolkata. "
                "We suggest the one your browser reports."
            ),
        )
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {"list": "timezone-names", "autocomplete": "off", "data-browser-timezone": "true"}
        )

    def to_python(self, value: Any) -> str:
        return canonical_zone(str(super().to_python(value)))


class SignupForm(forms.ModelForm):
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_rules(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    timezone = TimezoneField(label=_("Time zone"))

    class Meta:
        model = User
        fields = ["display_name", "email", "timezone"]
        widgets = {"email": forms.EmailInput(attrs={"autocomplete": "email"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.timezone_names = zone_names()
        self.fields["display_name"].widget.attrs["autocomplete"] = "name"

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data["email"]).strip()
        # Never said on the page (that would tell anyone who has an account): the view
        # answers as for a new account and mails the owner instead.
        self.existing = User.objects.filter(email__iexact=email).first()
        return email

    # The address's uniqueness is never a form error, even when its account appears between
    # clean_email and these checks (the same sign-up sent twice at once): the view answers
    # as for a new account, and `sign_up` meets the unique constraint and mails the owner.
    # The address is the only unique field and constraint the form covers.
    def validate_unique(self) -> None:
        return

    def validate_constraints(self) -> None:
        return

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            probe = User(
                email=cleaned.get("email", ""), display_name=cleaned.get("display_name", "")
            )
            try:
                password_validation.validate_password(first, probe)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned

    def save(self, commit: bool = True) -> User:
        user: User = super().save(commit=False)
        user.username = user.email.lower()
        user.set_password(self.cleaned_data["password1"])
        if commit:
            user.save()
        return user


class LoginForm(auth_forms.AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autofocus": True})
    )

    error_messages = {
        **auth_forms.AuthenticationForm.error_messages,
        "invalid_login": _("That e-mail address and password do not match an account."),
        "unverified": _(
            "Please confirm your e-mail address first: follow the link we sent you. "
            "You can ask for a new link below."
        ),
    }

    def clean(self) -> dict[str, Any]:
        # Failed sign-ins are throttled per account and per client address: once a limit is
        # reached even the right password is refused until the wait is over.
        email = str(self.cleaned_data.get("username") or "")
        if self.request is not None and email:
            wait = throttle.login_wait(self.request, email)
            if wait:
                raise ValidationError(throttle.wait_message(wait), code="throttled")
        try:
            cleaned = super().clean()
        except ValidationError as error:
            if self.request is not None and email and error.code == "invalid_login":
                throttle.count_failed_login(self.request, email)
            raise
        if email:
            throttle.forget_failed_logins(email)
        return cleaned

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        if not user.is_email_verified:
            raise ValidationError(self.error_messages["unverified"], code="unverified")


class ProfileForm(forms.ModelForm):
    timezone = TimezoneField(label=_("Time zone"))
    languages = forms.MultipleChoiceField(
        label=_("Languages you speak"),
        choices=LANGUAGE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    interface_language = forms.ChoiceField(
        label=_("Interface language"),
        choices=[("", _("As my browser says")), *settings.LANGUAGES],
        required=False,
    )
    content_language = forms.ChoiceField(
        label=_("Course content language"),
        required=False,
        help_text=_(
            "The language you read courses in, wherever a course is offered in it; "
            "elsewhere you see the course's own language."
        ),
        error_messages={
            "invalid_choice": _(
                "“%(value)s” is not one of the languages on offer: choose one from the list."
            )
        },
    )

    class Meta:
        model = User
        fields = [
            "display_name",
            "timezone",
            "languages",
            "interface_language",
            "content_language",
            "wiki_username",
            "home_community",
            "region",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.timezone_names = zone_names()
        # A wiki account verified through the wiki's sign-in (the wiki app's WikiIdentity,
        # reached by its reverse accessor so accounts imports no later app) is read-only.
        if getattr(self.instance, "wiki_identity", None) is not None:
            field = self.fields["wiki_username"]
            field.disabled = True
            field.help_text = _("Verified through the wiki's sign-in; it cannot be changed here.")
        offered = offered_content_languages()
        current = self.instance.content_language
        # A language chosen earlier stays choosable after a course stops offering it, so
        # saving the rest of the profile never fails on a field the person did not touch.
        if current and is_known_language(current) and current not in dict(offered):
            offered = sorted([*offered, (current, own_name(current))])
        language = self.fields["content_language"]
        assert isinstance(language, forms.ChoiceField)  # noqa: S101 - declared above
        language.choices = [("", _("As my browser says")), *offered]


class SetPasswordForm(auth_forms.SetPasswordForm):
    """Django's form with the password rules as plain text."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = password_rules()


class ResendVerificationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))


class OutboxPasswordResetForm(auth_forms.PasswordResetForm):
    """Password reset mail goes through the outbox like every other message."""

    def get_users(self, email: str) -> Iterator[User]:
        """Every active account of the address, also one without a password yet (signed up
        with a wiki account): this mail's link is how they set one. Django leaves those out."""
        wanted = unicodedata.normalize("NFKC", email).casefold()
        return (
            user
            for user in User.objects.filter(email__iexact=email, is_active=True)
            if unicodedata.normalize("NFKC", user.email).casefold() == wanted
        )

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        # The recipient's language, not the browser's that asked (anyone can ask).
        user = context.get("user")
        language = user.mail_language if user is not None else page_language()
        with translation.override(language):
            subject = " ".join(render_to_string(subject_template_name, context).split())
            body = render_to_string(email_template_name, context)
        queue_mail(
            recipient=to_email,
            subject=subject,
            body=body,
            kind="password-reset",
            language=language,
            user=user,
        )


class CurrentPasswordForm(forms.Form):
    """Confirms a request about the person's own data with their current password (failed
    tries count against the same limits as signing in)."""

    password = forms.CharField(
        label=_("Your current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, user: User, request: Any, **kwargs: Any) -> None:
        self.user = user
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        wait = throttle.login_wait(self.request, self.user.email)
        if wait:
            raise ValidationError(throttle.wait_message(wait), code="throttled")
        if not self.user.check_password(password):
            throttle.count_failed_login(self.request, self.user.email)
            raise ValidationError(_("That is not your current password."), code="wrong_password")
        return password


class DeleteAccountForm(CurrentPasswordForm):
    keep_certificates = forms.BooleanField(
        label=_("Keep my certificates verifiable"),
        required=False,
        help_text=_(
            "If you tick this, anyone with a certificate's code can still see that it was "
            "awarded to the name printed on it. Otherwise your certificates are revoked and "
            "their verification page names nobody."
        ),
    )
    confirm = forms.BooleanField(
        label=_("I understand that this cannot be undone"),
        required=True,
        error_messages={"required": _("Tick this box to confirm that you want to delete it.")},
    )
