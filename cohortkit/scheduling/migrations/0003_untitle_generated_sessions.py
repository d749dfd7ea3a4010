"""Series titled by the old `accept_plan` and `add_one_off` in the accepting person's
language ("Sesión semanal en directo, grupo 2", "Office hours 1", "مكالمة الترحيب") lose
that stored title and get their number, so every reader sees the name in their own language
(`Session.default_title`). Titles a coordinator wrote stay. Reversing writes the English
names back."""

import re

from django.conf import settings
from django.db import migrations
from django.utils import translation

WEEKLY = "Weekly live session, group %(group)s"
OFFICE = "Office hours %(number)s"
KIND_LABELS = {"onboarding": "Onboarding call"}


def _pattern(template: str, name: str) -> re.Pattern[str]:
    text = re.escape(template).replace(re.escape(f"%({name})s"), r"(\d+)")
    return re.compile(rf"\A{text}\Z")


def untitle(apps, schema_editor):
    Session = apps.get_model("scheduling", "Session")
    weekly, office, onboarding = [], [], set()
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            weekly.append(_pattern(translation.gettext(WEEKLY), "group"))
            office.append(_pattern(translation.gettext(OFFICE), "number"))
            onboarding.add(translation.gettext(KIND_LABELS["onboarding"]))
    for session in Session.objects.exclude(title="").iterator():
        number = None
        if session.kind == "onboarding" and session.title in onboarding:
            number = session.group
        elif session.kind in {"weekly", "office-hours"} and session.plan_id is not None:
            for pattern in weekly if session.kind == "weekly" else office:
                found = pattern.match(session.title)
                if found:
                    number = int(found.group(1))
                    break
            else:
                continue
        else:
            continue
        session.title, session.group = "", number
        session.save(update_fields=["title", "group"])


def retitle(apps, schema_editor):
    Session = apps.get_model("scheduling", "Session")
    for session in Session.objects.filter(title="").iterator():
        if session.kind == "weekly" and session.group:
            session.title = WEEKLY % {"group": session.group}
        elif session.kind == "office-hours" and session.group:
            session.title = OFFICE % {"number": session.group}
            session.group = None
        else:
            session.title = {"weekly": "Weekly live session", "office-hours": "Office hours"}.get(
                session.kind, KIND_LABELS.get(session.kind, session.kind)
            )
        session.save(update_fields=["title", "group"])


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0002_session_titles_by_kind")]

    operations = [migrations.RunPython(untitle, retitle)]
