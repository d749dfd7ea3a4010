from cohortkit.applications.models import EligibilityRule, RuleKind
from cohortkit.wiki.models import RunWikis, Wiki
from tests.courses.test_course_team import _create
from tests.factories import RunFactory


def test_copying_a_run_keeps_its_wikis_prefix_and_wiki_rules(db: None) -> None:
    source = RunFactory()
    wiki = Wiki.objects.create(name="W", api_url="http://127.0.0.1:9/api.php")
    row = RunWikis.objects.create(run=source, page_prefix="Project:PB/")
    row.wikis.add(wiki)
    EligibilityRule.objects.create(
        run=source, kind=RuleKind.WIKI_EDITS, minimum=500, reason="500 edits"
    )

    copy = _create(source)

    copied = RunWikis.objects.get(run=copy)
    assert (copied.page_prefix, list(copied.wikis.all())) == ("Project:PB/", [wiki])
    assert list(
        EligibilityRule.objects.filter(run=copy).values_list("kind", "minimum", "reason")
    ) == [("wiki-edits", 500, "500 edits")]
