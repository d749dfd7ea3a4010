"""Site-wide wiki sign-in pages, under wiki/ (the OAuth consumer's redirect address is
SITE_URL + /wiki/oauth/callback/)."""

from django.urls import path

from cohortkit.wiki import account_views

app_name = "wiki_accounts"

urlpatterns = [
    path("wiki/oauth/start/", account_views.start, name="start"),
    path("wiki/oauth/callback/", account_views.callback, name="callback"),
    path("wiki/signup/", account_views.signup, name="signup"),
    path("wiki/unlink/", account_views.unlink, name="unlink"),
]
