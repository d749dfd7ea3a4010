"""The languages courses are offered in, for the profile's content-language choice
(`accounts.languages`): every published course's own language and its language versions
published for learners."""

from cohortkit.courses.models import Course
from cohortkit.translations.models import LanguageVersion


def offered_languages() -> set[str]:
    courses = Course.objects.filter(is_published=True)
    versions = LanguageVersion.objects.filter(course__in=courses, is_published=True)
    return set(courses.values_list("language", flat=True)) | set(
        versions.values_list("language", flat=True)
    )
