"""What a browser would submit for a form of a rendered page, untouched fields included."""

import lxml.html


def form_data(
    page: str, *, section: str | None = None, containing: str | None = None
) -> dict[str, object]:
    """The values of the page's form with the hidden `section` input (or with a field named
    `containing`): text as shown, a select's chosen option (the first when none is marked),
    checked boxes only; lists where a name repeats."""
    forms = lxml.html.fromstring(page).forms
    if section is not None:
        forms = [f for f in forms if f.xpath(f'.//input[@name="section"][@value="{section}"]')]
    if containing is not None:
        forms = [f for f in forms if f.xpath(f'.//*[@name="{containing}"]')]
    (form,) = forms
    data: dict[str, list[str]] = {}
    for element in form.inputs:
        name = element.get("name")
        if not name or element.get("disabled") is not None:
            continue
        kind = (element.get("type") or "").lower()
        if element.tag == "input" and kind in {"checkbox", "radio"}:
            if element.checked:
                data.setdefault(name, []).append(element.get("value", "on"))
        elif element.tag == "input" and kind in {"submit", "button", "reset"}:
            continue
        elif element.tag == "select":
            options = element.xpath(".//option")
            chosen = [o for o in options if o.get("selected") is not None] or options[:1]
            for option in chosen:
                data.setdefault(name, []).append(
                    option.get("value") if option.get("value") is not None else option.text
                )
        else:
            data.setdefault(name, []).append(element.value or "")
    return {name: values[0] if len(values) == 1 else values for name, values in data.items()}
