"""Signing in, signing up and linking an existing account with a wiki account (OAuth 2.0).

`start` (POST, from the login or profile page) sends the browser to the wiki; the wiki sends
it back to `callback`, which reads the verified profile and then signs the person in (a
linked account), links it (from the profile), or asks for the rest of a new account
(`signup`). A refusal or a bad answer from the wiki gives a message and changes nothing.
`unlink` (from the profile) forgets a linked account; it works whether or not signing in
with the wiki is configured, so a site that turns it off leaves nobody stuck."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cohortkit.accounts import throttle
from cohortkit.accounts.backends import BACKEND
from cohortkit.accounts.languages import page_language
from cohortkit.accounts.middleware import keep_interface_language
from cohortkit.accounts.requests import signed_in_person
from cohortkit.accounts.services import sign_up, warn_existing_account
from cohortkit.wiki import oauth, services
from cohortkit.wiki.forms import UnlinkForm, WikiSignupForm
from cohortkit.wiki.models import WikiIdentity

PENDING = "wiki_signup_profile"  # the verified profile waiting for the rest of a new account
INTENT = "wiki_sign_in_intent"
NEXT = "wiki_sign_in_next"


def _enabled() -> None:
    if not oauth.is_enabled():
        raise Http404


def _callback_uri(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("wiki_accounts:callback"))


@login_not_required
@require_POST
def start(request: HttpRequest) -> HttpResponse:
    _enabled()
    intent = "link" if request.POST.get("intent") == "link" else "login"
    if intent == "link":
        signed_in_person(request)  # anonymous: the login page
    next_url = request.POST.get("next", "")
    request.session[INTENT] = intent
    request.session[NEXT] = (
        next_url
        if url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure())
        else ""
    )
    return oauth.redirect_to_wiki(request, _callback_uri(request))


@login_not_required
@require_safe
def callback(request: HttpRequest) -> HttpResponse:
    _enabled()
    intent = request.session.pop(INTENT, "login")
    next_url = request.session.pop(NEXT, "")
    failed_to = "accounts:profile" if intent == "link" else "accounts:login"
    try:
        profile = oauth.profile_from_callback(request, _callback_uri(request))
    except oauth.SignInFailed as error:
        messages.error(request, str(error))
        return redirect(failed_to)
    if intent == "link":
        if not request.user.is_authenticated:
            return redirect("accounts:login")
        person = signed_in_person(request)
        try:
            services.link_identity(
                person,
                central_id=profile.central_id,
                username=profile.username,
                at=timezone.now(),
            )
        except services.IdentityTaken as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Your wiki account %(name)s is linked and verified.")
                % {"name": profile.username},
            )
        return redirect("accounts:profile")
    identity = (
        WikiIdentity.objects.select_related("person").filter(central_id=profile.central_id).first()
    )
    if identity is not None:
        if not identity.person.is_active:
            messages.error(request, _("This account is closed."))
            return redirect("accounts:login")
        services.note_renamed_identity(identity, profile.username)
        login(request, identity.person, backend=BACKEND)
        keep_interface_language(request, identity.person)
        return redirect(next_url or "accounts:profile")
    request.session[PENDING] = {
        "central_id": profile.central_id,
        "username": profile.username,
        "email": profile.email,
        "next": next_url,  # kept through sign-up and the verification link
    }
    return redirect("wiki_accounts:signup")


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """The rest of a new account for a verified wiki account: name, e-mail, time zone. The
    e-mail address is confirmed by the usual link; an address that has an account already is
    answered as a new one would be (its owner gets a mail), so nobody learns who has one."""
    _enabled()
    pending = request.session.get(PENDING)
    if not isinstance(pending, dict) or request.user.is_authenticated:
        return redirect("accounts:login")
    form = WikiSignupForm(
        request.POST or None,
        initial={"display_name": pending["username"], "email": pending["email"]},
    )
    context = {"form": form, "username": pending["username"]}
    if request.method == "POST" and form.is_valid():
        wait = throttle.mail_request_wait(request, form.cleaned_data["email"])
        if wait:
            form.add_error(None, throttle.wait_message(wait))
            return render(request, "wiki/signup.html", context, status=429)
        language = page_language()
        del request.session[PENDING]
        if form.existing is not None:
            warn_existing_account(
                form.existing, language=language, next_url=pending.get("next", "")
            )
            return render(
                request, "accounts/signup_done.html", {"email": form.cleaned_data["email"]}
            )
        if WikiIdentity.objects.filter(central_id=pending["central_id"]).exists():
            return redirect("accounts:login")  # signed up in another tab meanwhile
        person = sign_up(
            form.save(commit=False), language=language, next_url=pending.get("next", "")
        )
        services.link_identity(
            person,
            central_id=pending["central_id"],
            username=pending["username"],
            at=timezone.now(),
        )
        login(request, person, backend=BACKEND)
        messages.success(
            request,
            _(
                "Welcome! We sent a link to %(email)s: open it to confirm your address. "
                "You can set a password with “Forgot your password?” to sign in without the wiki."
            )
            % {"email": person.email},
        )
        return redirect("accounts:profile")
    return render(request, "wiki/signup.html", context, status=400 if form.is_bound else 200)


@require_http_methods(["GET", "HEAD", "POST"])
def unlink(request: HttpRequest) -> HttpResponse:
    """GET explains what unlinking does; POST (current password, confirmed) unlinks. A person
    without a password is told to set one first, and nothing changes."""
    person = signed_in_person(request)
    identity = WikiIdentity.objects.filter(person=person).first()
    if identity is None:
        messages.info(request, _("You have no linked wiki account."))
        return redirect("accounts:profile")
    has_password = person.has_usable_password()
    form = UnlinkForm(request.POST or None, user=person, request=request)
    if request.method == "POST" and not has_password:
        return render(
            request,
            "wiki/unlink.html",
            {"identity": identity, "form": None, "has_password": False},
            status=400,
        )
    if request.method == "POST" and form.is_valid():
        try:
            name = services.unlink_identity(person)
        except (services.NotLinked, services.PasswordNeeded) as error:  # meanwhile, elsewhere
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _(
                    "Your wiki account %(name)s is no longer linked, and what was read from "
                    "the wikis about it is deleted. Your wiki username is kept, unverified: "
                    "you can change it below."
                )
                % {"name": name},
            )
        return redirect("accounts:profile")
    return render(
        request,
        "wiki/unlink.html",
        {
            "identity": identity,
            "form": form if has_password else None,
            "has_password": has_password,
        },
        status=400 if form.is_bound else 200,
    )
