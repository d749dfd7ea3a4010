"""One helper per idea (docs/architecture.md): the copies that once grew in each app stay gone."""

import re
from pathlib import Path

PACKAGE = Path(__file__).parent.parent / "cohortkit"


def _files(pattern: str) -> list[str]:
    """The package's modules (migrations aside) with a line matching `pattern`."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if re.search(pattern, line):
                found.append(str(path.relative_to(PACKAGE.parent)))
    return sorted(set(found))


def test_the_signed_in_person_is_never_taken_with_a_type_ignore_or_an_assert() -> None:
    assert _files(r"request\.user\b.*type: ignore|assert isinstance\(request\.user") == []


def test_the_signed_in_person_is_narrowed_to_a_user_in_one_module() -> None:
    assert _files(r"isinstance\([\w.]+, User\)|cast\(User\b|cast\(\"User\"") == [
        "cohortkit/accounts/requests.py"
    ]


def test_the_language_a_page_is_answered_in_has_one_helper() -> None:
    assert _files(r"get_language\(\) or \"en\"|else (translation\.)?get_language\(\)") == [
        "cohortkit/accounts/languages.py"
    ]


def test_each_apps_modules_are_found_by_one_loop() -> None:
    assert _files(r"importlib\.import_module\(|get_app_configs\(") == [
        "cohortkit/accounts/discovery.py"
    ]


def test_a_quota_is_read_by_one_parser() -> None:
    assert _files(r'rpartition\(":"\)') == ["cohortkit/applications/selection_io.py"]


def test_who_is_invited_to_a_meeting_is_written_once() -> None:
    assert _files(r"SessionKind\.WEEKLY\}?\) \| Q\(") == ["cohortkit/scheduling/models.py"]


def test_mail_names_the_run_through_mail_titles() -> None:
    assert _files(r'"(course|run)_title": .*\.(text|run)\(') == []


def test_the_interface_language_is_kept_after_sign_in_by_one_helper() -> None:
    assert _files(r"cohortkit_language|\.interface_language  # type: ignore") == [
        "cohortkit/accounts/middleware.py"
    ]
