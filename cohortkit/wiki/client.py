"""Reading a person's figures from a MediaWiki site's Action API (`api.php`).

Plain functions over HTTP, no Django models: `read_user` (edit count, registration, groups)
and `read_contributions` (edits between two instants). Every failure (no answer in time, an
HTTP error, an API error, an answer that is not the JSON we expect, an unknown user) raises
`WikiError` with a message that names the wiki and what went wrong; nothing is returned half
read.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import requests
from django.utils.translation import gettext as _

CONTRIBUTIONS_LIMIT = 5000  # at most this many edits are read for one person and wiki


class WikiError(Exception):
    """The wiki could not be read; the message says which and why."""


class UnknownWikiUser(WikiError):
    """The wiki has no account of that name."""


@dataclass(frozen=True)
class UserFacts:
    username: str
    edit_count: int
    registered_at: datetime | None
    groups: tuple[str, ...]


@dataclass(frozen=True)
class Contribution:
    revision_id: int
    title: str
    at: datetime
    size_change: int


def parse_timestamp(value: Any) -> datetime:
    """MediaWiki's ISO 8601 timestamps (`2021-01-14T12:00:00Z`) as aware datetimes."""
    if not isinstance(value, str):
        raise ValueError(value)
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def format_timestamp(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _connection_problem(error: requests.RequestException) -> str:
    """What went wrong, in words a coordinator can act on, rather than urllib3's chain of
    exceptions (which also repeats the whole request address)."""
    text = str(error)
    if isinstance(error, requests.exceptions.SSLError):
        return _("its TLS certificate could not be verified")
    if "NameResolutionError" in text or "Name or service not known" in text:
        return _("its host name is not known")
    if "Connection refused" in text:
        return _("it refused the connection")
    if isinstance(error, requests.exceptions.TooManyRedirects):
        return _("it redirected too many times")
    return _("the connection failed")


def _get(
    api_url: str, params: dict[str, str], *, timeout: float, user_agent: str
) -> dict[str, Any]:
    """One Action API request, its JSON answer checked for an API error."""
    query = {**params, "format": "json", "formatversion": "2", "errorformat": "plaintext"}
    try:
        response = requests.get(
            api_url, params=query, timeout=timeout, headers={"User-Agent": user_agent}
        )
    except requests.Timeout as error:
        raise WikiError(
            _("%(wiki)s did not answer within %(seconds)s seconds.")
            % {"wiki": api_url, "seconds": timeout}
        ) from error
    except requests.RequestException as error:
        raise WikiError(
            _("%(wiki)s could not be reached: %(reason)s.")
            % {"wiki": api_url, "reason": _connection_problem(error)}
        ) from error
    if response.status_code != 200:
        raise WikiError(
            _("%(wiki)s answered with HTTP status %(status)s.")
            % {"wiki": api_url, "status": response.status_code}
        )
    try:
        data = response.json()
    except ValueError as error:
        raise WikiError(
            _("%(wiki)s did not answer with JSON; is it a MediaWiki api.php address?")
            % {"wiki": api_url}
        ) from error
    if not isinstance(data, dict):
        raise WikiError(_("%(wiki)s gave an answer we cannot read.") % {"wiki": api_url})
    errors = data.get("errors") or ([data["error"]] if "error" in data else [])
    if errors:
        first = errors[0] if isinstance(errors[0], dict) else {}
        text = first.get("text") or first.get("info") or first.get("code") or ""
        raise WikiError(
            _("%(wiki)s refused the request: %(error)s") % {"wiki": api_url, "error": text}
        )
    return data


def read_user(api_url: str, username: str, *, timeout: float, user_agent: str) -> UserFacts:
    """The account's edit count, registration instant and groups (without the implicit `*`).
    Raises UnknownWikiUser when the wiki has no such account, WikiError otherwise."""
    data = _get(
        api_url,
        {
            "action": "query",
            "list": "users",
            "ususers": username,
            "usprop": "editcount|registration|groups",
        },
        timeout=timeout,
        user_agent=user_agent,
    )
    try:
        user = data["query"]["users"][0]
        if user.get("missing") or user.get("invalid"):
            raise UnknownWikiUser(
                _("%(wiki)s has no account named %(name)s.") % {"wiki": api_url, "name": username}
            )
        registration = user.get("registration")
        edit_count = user["editcount"]
        groups = user.get("groups", [])
        if not isinstance(edit_count, int) or not isinstance(groups, list):
            raise TypeError(user)
        return UserFacts(
            username=str(user["name"]),
            edit_count=edit_count,
            # Accounts from before 2005 have no registration date on record.
            registered_at=parse_timestamp(registration) if registration else None,
            groups=tuple(sorted(str(g) for g in groups if g != "*")),
        )
    except (KeyError, IndexError, TypeError, ValueError) as error:
        raise WikiError(
            _("%(wiki)s gave an answer about %(name)s that we cannot read.")
            % {"wiki": api_url, "name": username}
        ) from error


def read_contributions(
    api_url: str,
    username: str,
    *,
    start_at: datetime,
    end_at: datetime,
    timeout: float,
    user_agent: str,
    limit: int = CONTRIBUTIONS_LIMIT,
) -> list[Contribution]:
    """The account's edits from `start_at` to `end_at`, oldest first, following the API's
    continuation, at most `limit` of them."""
    return list(_contributions(api_url, username, start_at, end_at, timeout, user_agent, limit))


def _contributions(
    api_url: str,
    username: str,
    start_at: datetime,
    end_at: datetime,
    timeout: float,
    user_agent: str,
    limit: int,
) -> Iterator[Contribution]:
    params = {
        "action": "query",
        "list": "usercontribs",
        "ucuser": username,
        "ucprop": "ids|title|timestamp|sizediff",
        "ucdir": "newer",
        "ucstart": format_timestamp(start_at),
        "ucend": format_timestamp(end_at),
        "uclimit": "500",
    }
    count = 0
    while True:
        data = _get(api_url, params, timeout=timeout, user_agent=user_agent)
        try:
            for item in data["query"]["usercontribs"]:
                yield Contribution(
                    revision_id=int(item["revid"]),
                    title=str(item["title"]),
                    at=parse_timestamp(item["timestamp"]),
                    size_change=int(item.get("sizediff", 0)),
                )
                count += 1
                if count >= limit:
                    return
            follow = data.get("continue")
            if not follow:
                return
            params = {**params, **{key: str(value) for key, value in follow.items()}}
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise WikiError(
                _("%(wiki)s gave a list of contributions by %(name)s that we cannot read.")
                % {"wiki": api_url, "name": username}
            ) from error
