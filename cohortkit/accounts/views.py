from django import forms
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cohortkit.accounts import throttle
from cohortkit.accounts.backends import BACKEND
from cohortkit.accounts.forms import (
    CurrentPasswordForm,
    DeleteAccountForm,
    LoginForm,
    ProfileForm,
    ResendVerificationForm,
    SignupForm,
)
from cohortkit.accounts.languages import page_language
from cohortkit.accounts.middleware import keep_interface_language
from cohortkit.accounts.models import User
from cohortkit.accounts.redirects import next_address
from cohortkit.accounts.requests import signed_in_person
from cohortkit.accounts.services import (
    delete_account,
    personal_data_archive,
    send_verification_mail,
    sign_up,
    verify_email,
    warn_existing_account,
)
from cohortkit.accounts.tokens import user_for_verification_token


def _mail_refused(request: HttpRequest, form: forms.BaseForm, email: str) -> bool:
    """Count a mail-sending request; when a limit is reached, say how long to wait."""
    wait = throttle.mail_request_wait(request, email)
    if wait:
        form.add_error(None, throttle.wait_message(wait))
    return bool(wait)


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """A new account; `next` (checked: an address on this site) is kept through the form and
    the verification link, so confirming the address lands the person where they were
    going."""
    next_url = next_address(request, request.POST.get("next") or request.GET.get("next"))
    if request.user.is_authenticated:
        return redirect(next_url or "accounts:profile")
    form = SignupForm(request.POST or None)
    context = {"form": form, "next": next_url}
    if request.method == "POST" and form.is_valid():
        if _mail_refused(request, form, form.cleaned_data["email"]):
            return render(request, "accounts/signup.html", context, status=429)
        language = page_language()
        if form.existing is not None:
            warn_existing_account(form.existing, language=language, next_url=next_url)
            return render(
                request, "accounts/signup_done.html", {"email": form.cleaned_data["email"]}
            )
        user = sign_up(form.save(commit=False), language=language, next_url=next_url)
        return render(request, "accounts/signup_done.html", {"email": user.email})
    return render(request, "accounts/signup.html", context)


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def verify(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a confirm button (mail scanners follow links); POST verifies, signs the
    person in and goes on to the link's `next` (checked again here), else the profile."""
    next_url = next_address(request, request.POST.get("next") or request.GET.get("next"))
    user = user_for_verification_token(token)
    if user is None:
        return render(request, "accounts/verify_invalid.html", status=400)
    if request.method == "POST":
        verify_email(user, at=timezone.now())
        login(request, user, backend=BACKEND)
        keep_interface_language(request, user)
        messages.success(request, _("Thank you: your e-mail address is confirmed."))
        return redirect(next_url or "accounts:profile")
    return render(request, "accounts/verify_confirm.html", {"person": user, "next": next_url})


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def resend_verification(request: HttpRequest) -> HttpResponse:
    next_url = next_address(request, request.POST.get("next") or request.GET.get("next"))
    form = ResendVerificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _mail_refused(request, form, form.cleaned_data["email"]):
            return render(
                request, "accounts/resend.html", {"form": form, "next": next_url}, status=429
            )
        user = User.objects.filter(
            email__iexact=form.cleaned_data["email"], email_verified_at__isnull=True
        ).first()
        if user is not None:
            send_verification_mail(user, language=page_language(), next_url=next_url)
        # The same answer either way: nobody learns who has an account.
        return render(request, "accounts/signup_done.html", {"email": form.cleaned_data["email"]})
    return render(request, "accounts/resend.html", {"form": form, "next": next_url})


class PasswordResetView(auth_views.PasswordResetView):
    """Django's view, with the mail-sending limits per address and per client."""

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        if _mail_refused(self.request, form, form.cleaned_data["email"]):
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().form_valid(form)


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_invalid(form)
        if form.has_error(NON_FIELD_ERRORS, "throttled"):
            response.status_code = 429
        return response

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        keep_interface_language(self.request, form.get_user())
        return response


@require_http_methods(["GET", "HEAD", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        keep_interface_language(request, form.save())
        messages.success(request, _("Your profile is saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@require_http_methods(["GET", "HEAD", "POST"])
def my_data(request: HttpRequest) -> HttpResponse:
    """GET explains; POST (with the current password) downloads everything held about them."""
    user = signed_in_person(request)
    form = CurrentPasswordForm(request.POST or None, user=user, request=request)
    if request.method == "POST" and form.is_valid():
        at = timezone.now()
        content, is_zip = personal_data_archive(user, at=at)
        stamp = at.strftime("%Y%m%d")
        name = f"cohortkit-my-data-{stamp}.{'zip' if is_zip else 'json'}"
        response = HttpResponse(
            content, content_type="application/zip" if is_zip else "application/json"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "private, no-store"
        return response
    return render(
        request,
        "accounts/my_data.html",
        {"form": form},
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def delete_account_view(request: HttpRequest) -> HttpResponse:
    """GET explains what goes and what stays; POST (current password, confirmed) erases."""
    user = signed_in_person(request)
    form = DeleteAccountForm(request.POST or None, user=user, request=request)
    if request.method == "POST" and form.is_valid():
        delete_account(
            user, at=timezone.now(), keep_certificates=form.cleaned_data["keep_certificates"]
        )
        logout(request)
        messages.success(request, _("Your account is deleted. Thank you for taking part."))
        return redirect("courses:catalogue")
    return render(
        request,
        "accounts/delete_account.html",
        {"form": form},
        status=400 if form.is_bound else 200,
    )
