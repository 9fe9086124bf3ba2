"""The generator form: the generator's own messages per field, and what the form shows back."""

from __future__ import annotations

from django.http import QueryDict

from coach.forms import DEFAULT_EQUIPMENT, GenerateForm, generate_initial


def bound(query: str) -> GenerateForm:
    return GenerateForm(QueryDict(query))


def test_valid_input_gives_the_generators_request():
    form = bound(
        "days=4&structure_type=cyclic&equipment=BARBELL&equipment=CABLE&priority_muscles=chest&session_set_limit=20&seed=7"
    )

    assert form.is_valid(), form.errors
    request = form.cleaned_data["request"]
    assert (request.days, request.structure_type, request.session_set_limit, request.seed) == (
        4,
        "CYCLIC",
        20,
        7,
    )
    assert request.equipment == frozenset({"BARBELL", "CABLE"})
    assert request.priority_muscles == ("CHEST",)


def test_each_bad_field_gets_its_own_message_and_the_form_shows_what_was_typed():
    form = bound("days=9&structure_type=WEEKLY&equipment=ANVIL&session_set_limit=40&seed=x")

    assert not form.is_valid()
    assert set(form.errors) == {"days", "equipment", "session_set_limit", "seed"}
    assert form.errors["equipment"] == ["Unknown equipment: ANVIL."]
    values = form.values()
    assert (values["days"], values["equipment"], values["seed"]) == ("9", ["ANVIL"], "x")


def test_an_unbound_form_shows_the_defaults():
    initial = generate_initial()
    values = GenerateForm(initial=initial).values()

    assert values["days"] == 3 and values["replaces"] == ""
    assert values["equipment"] == list(DEFAULT_EQUIPMENT)
    assert 0 <= values["seed"] < 100_000
