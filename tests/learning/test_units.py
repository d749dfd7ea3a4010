from hypothesis import given, settings
from hypothesis import strategies as st

from cohortkit.courses.demo import OUTLINE, _topic_body
from cohortkit.learning.markdown import render_markdown
from cohortkit.learning.units import Unit, join_units, placeholder_problems, split_units

BODY = """## Know yourself

Think about your *group*. See the [talk page](#questions)
and [the guide](https://example.org/guide "Guide").

- first item with ![a diagram](/files/1/)
- second item
  continued

> a quote
> on two lines

```
code [not](a-unit)
```

| a | b |
|---|---|

1. numbered
"""


def test_split_units_gives_ordinal_keys_and_keeps_structure_and_targets_out() -> None:
    assert split_units(BODY) == [
        Unit("heading-1", "Know yourself", "heading"),
        Unit(
            "paragraph-1",
            "Think about your *group*. See the <1>talk page</1>\nand <2>the guide</2>.",
            "paragraph",
        ),
        Unit("item-1", "first item with <1>a diagram</1>", "item"),
        Unit("item-2", "second item\ncontinued", "item"),
        Unit("quote-1", "a quote\non two lines", "quote"),
        Unit("item-3", "numbered", "item"),
    ]


def test_join_without_translations_gives_the_source_back() -> None:
    assert join_units(BODY, {}) == BODY
    for module, topics in OUTLINE:
        for topic in topics:
            body = _topic_body(module, topic)
            assert join_units(body, {}) == body


def test_join_puts_translations_in_the_structure_with_the_original_targets() -> None:
    translated = join_units(
        BODY,
        {"heading-1": "Conócete", "paragraph-1": "Mira la <1>página</1> y <2>la guía</2>.",
         "item-2": "segundo"},
    )  # fmt: skip
    assert translated.startswith(
        '## Conócete\n\nMira la [página](#questions) y [la guía](https://example.org/guide "Guide").\n\n'
        "- first item with ![a diagram](/files/1/)\n- segundo\n"
    )


def test_keys_do_not_change_when_text_changes() -> None:
    before = [u.key for u in split_units(BODY)]
    after = [u.key for u in split_units(BODY.replace("Think about", "Consider"))]
    assert before == after


def test_placeholder_problems_name_lost_and_invented_placeholders() -> None:
    assert placeholder_problems("a <1>b</1> <2>c</2>", "x <2>c</2> <3>d</3>") == [
        "missing <1>…</1>",
        "unknown <3>…</3>",
    ]


lines = st.sampled_from(
    ["", "## Title", "Some text", "- item", "1. step", "> quote", "  indented more", "[a](https://x.org)",
     "```", "| t |", "---", "* star [l](#x)", "text with ![i](/f/)"]
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.lists(lines, max_size=12))
def test_join_of_split_renders_like_the_source(parts: list[str]) -> None:
    body = "\n".join(parts)
    assert join_units(body, {}) == body
    identity = {u.key: u.text for u in split_units(body)}
    assert render_markdown(join_units(body, identity)) == render_markdown(body)
