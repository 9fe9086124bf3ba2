"""The program builder in a real browser: build a weekly program with htmx (no page loads), by
mouse and by keyboard only, and axe-core on the builder, volume and template pages."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from accounts.tests.factories import UserFactory
from exercises.tests.factories import ExerciseFactory
from programs import services
from programs.models import SessionExercise, TrainingProgram, WorkoutSession

PASSWORD = "correct-horse-battery"


@pytest.fixture
def lifter(db):
    return UserFactory(email="builder@example.com")


@pytest.fixture
def library(db):
    return {
        "bench": ExerciseFactory(
            name="Barbell Bench Press",
            muscle_contributions={"CHEST": 1.0, "FRONT_DELTS": 0.5, "TRICEPS": 0.5},
        ),
        "fly": ExerciseFactory(
            name="Cable Fly", equipment="CABLE", muscle_contributions={"CHEST": 1.0, "FRONT_DELTS": 0.25}
        ),
        "row": ExerciseFactory(
            name="Barbell Row",
            muscle_contributions={"TRAPS_RHOMBOIDS": 1.0, "LATS": 0.75, "ELBOW_FLEXORS": 0.5},
        ),
    }


def chest_sets(page: Page) -> str:
    return page.locator("#muscle-chest").get_attribute("data-sets") or ""


def add_exercise(page: Page, session_name: str, query: str, exercise: str) -> None:
    session = page.locator("li.session").filter(has=page.get_by_role("heading", name=session_name))
    search = session.get_by_label("Add exercise: name")
    # Content swapped in by htmx is live once htmx has processed it (its triggers are bound).
    page.wait_for_function(
        "el => el.form && el.form['htmx-internal-data'] !== undefined", arg=search.element_handle()
    )
    search.fill(query)
    session.get_by_role("button", name=f"Add {exercise}").click()
    expect(session.locator(".se-name", has_text=exercise)).to_be_visible()


def open_row(scope, exercise: str) -> None:
    """A tap on a row: its form opens in place (htmx), focus on Sets."""
    scope.locator("a.se-open", has_text=exercise).click()
    expect(
        scope.locator("li.se-row.is-editing", has_text=exercise).locator("input[name=sets]")
    ).to_be_focused()


def add_session(page: Page, name: str, day: str) -> None:
    page.locator("#new-session-name").fill(name)
    page.locator("#new-session-day").select_option(label=day)
    page.get_by_role("button", name="Add session").click()
    expect(page.get_by_role("heading", name=f"{day} · {name}")).to_be_visible()


def test_lifter_builds_a_weekly_program_and_watches_the_chest_bar(page, live_server, login, lifter, library):
    login(lifter.email, PASSWORD)
    page.goto(f"{live_server.url}/programs/new/")
    page.get_by_label("Name").fill("Push Pull")
    page.get_by_label("Weekly").check()
    page.get_by_role("button", name="Create program").click()
    expect(page.get_by_role("heading", name="Push Pull", level=1)).to_be_visible()
    builder_url = page.url
    page.evaluate("window.__marker = 1")

    add_session(page, "Push", "Monday")
    add_session(page, "Pull", "Thursday")
    assert chest_sets(page) == "0"
    add_exercise(page, "Monday · Push", "bench", "Barbell Bench Press")
    expect(page.locator("#muscle-chest")).to_have_attribute("data-sets", "3")
    expect(page.locator("#muscle-chest .status")).to_have_text("Below MEV")
    add_exercise(page, "Monday · Push", "cable fl", "Cable Fly")
    expect(page.locator("#muscle-chest")).to_have_attribute("data-sets", "6")
    expect(page.locator("#muscle-chest .status")).to_have_text("Productive")
    # Reorder: move the bench press below the fly (a button inside the row's form).
    push = page.locator("li.session").filter(has=page.get_by_role("heading", name="Monday · Push"))
    open_row(push, "Barbell Bench Press")
    push.locator("summary", has_text="More actions for Barbell Bench Press").click()  # the row's menu
    push.get_by_role("button", name="move Barbell Bench Press down").click()
    expect(push.locator(".se-name")).to_have_text(["Cable Fly", "Barbell Bench Press"])
    add_exercise(page, "Thursday · Pull", "row", "Barbell Row")
    expect(page.locator("#muscle-traps_rhomboids")).to_have_attribute("data-sets", "3")
    # The bar's text equivalent follows too.
    assert "Chest: 6 fractional sets per week, productive" in (
        page.locator("#muscle-chest svg").get_attribute("aria-label") or ""
    )
    # No navigation happened: the marker set on the page survived every edit.
    assert page.evaluate("window.__marker") == 1
    assert page.url == builder_url

    page.reload()
    assert page.evaluate("window.__marker") is None
    expect(page.get_by_role("heading", name="Monday · Push")).to_be_visible()
    expect(page.get_by_role("heading", name="Thursday · Pull")).to_be_visible()
    expect(page.locator(".se-name")).to_have_count(3)
    expect(page.locator("li.session").first.locator(".se-name")).to_have_text(
        ["Cable Fly", "Barbell Bench Press"]
    )
    assert chest_sets(page) == "6"
    program = TrainingProgram.objects.get(user=lifter)
    assert program.frequency == 2
    assert SessionExercise.objects.filter(session__program=program).count() == 3


def test_add_an_exercise_by_keyboard_only(page, live_server, login, lifter, library):
    program = services.program_create(user=lifter, name="Keyboard Plan", structure_type="WEEKLY")
    session = services.session_create(user=lifter, program=program, name="Push", day_of_week=0)
    login(lifter.email, PASSWORD)
    page.goto(f"{live_server.url}/programs/{program.pk}/")
    page.evaluate("window.__marker = 1")

    def tab_until(predicate: str, limit: int = 80) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate(predicate):
                return
        raise AssertionError(f"focus never reached: {predicate}")

    tab_until(f"document.activeElement && document.activeElement.id === 'q-{session.pk}'")
    page.keyboard.type("bench press")
    expect(page.get_by_role("button", name="Add Barbell Bench Press")).to_be_visible()
    tab_until(
        "document.activeElement && document.activeElement.textContent.trim() === 'Add Barbell Bench Press'"
    )
    page.keyboard.press("Enter")
    expect(page.locator(f"#items-{session.pk} .se-name", has_text="Barbell Bench Press")).to_be_visible()
    expect(page.locator("#muscle-chest")).to_have_attribute("data-sets", "3")
    expect(page.locator("#toast")).to_contain_text("Added Barbell Bench Press")
    assert page.evaluate("window.__marker") == 1

    # Edit the sets in place, still by keyboard: Tab to the new row, Enter opens its form with
    # focus on Sets, type, Enter saves, and focus comes back to the row, shown again.
    row = SessionExercise.objects.get(session=session)
    tab_until(f"document.activeElement && document.activeElement.closest('#se-{row.pk}') !== null")
    page.keyboard.press("Enter")
    expect(page.locator(f"#sets-{row.pk}")).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("5")
    page.keyboard.press("Enter")
    expect(page.locator("#muscle-chest")).to_have_attribute("data-sets", "5")
    expect(page.locator(f"#se-{row.pk} a.se-open")).to_be_focused()
    expect(page.locator(f"#se-{row.pk} .prescription")).to_have_text("5 sets × 8-12 · rest 120 s")
    assert page.evaluate("window.__marker") == 1
    assert SessionExercise.objects.get(pk=row.pk).sets == 5


def test_filter_a_picker_by_muscle_from_the_pages_one_copy_of_the_lists(
    page, live_server, login, lifter, library
):
    program = services.program_create(user=lifter, name="Filter Plan", structure_type="WEEKLY")
    services.session_create(user=lifter, program=program, name="Push", day_of_week=0)
    pull = services.session_create(user=lifter, program=program, name="Pull", day_of_week=3)
    login(lifter.email, PASSWORD)
    page.goto(f"{live_server.url}/programs/{program.pk}/")
    session = page.locator("li.session").filter(has=page.get_by_role("heading", name="Pull"))
    session.get_by_text("Filter by muscle or equipment, or describe it").click()
    # The selects are copied into this picker, with ids and labels of its own.
    session.get_by_label("Muscle", exact=True).select_option(label="Traps & rhomboids")
    expect(session.get_by_role("button", name="Add Barbell Row")).to_be_visible()
    expect(session.get_by_role("button", name="Add Barbell Bench Press")).to_have_count(0)
    assert page.locator(f"#muscle-{pull.pk}").count() == 1
    assert page.locator("select[name=muscle]").count() == 1
    session.get_by_label("Equipment", exact=True).select_option(label="Cable")
    expect(session.get_by_role("button", name="Add Barbell Row")).to_have_count(0)
    # The describe field is copied in too, after the selects, with its own id and label.
    describe = session.get_by_label("…or describe it (uses 1 AI query)")
    expect(describe).to_have_attribute("id", f"ask-{pull.pk}")
    assert page.locator("input[name=ask]").count() == 1
    assert session.locator(".picker-fields .field label").all_inner_texts() == [
        "Muscle",
        "Equipment",
        "…or describe it (uses 1 AI query)",
    ]


def test_a_muscles_contributors_load_when_it_opens(page, live_server, login, lifter, library):
    program = services.program_create(user=lifter, name="Contrib Plan", structure_type="WEEKLY")
    push = services.session_create(user=lifter, program=program, name="Push", day_of_week=0)
    services.session_exercise_add(user=lifter, session=push, exercise=library["bench"], sets=3)
    services.session_exercise_add(user=lifter, session=push, exercise=library["fly"], sets=2)
    login(lifter.email, PASSWORD)
    page.goto(f"{live_server.url}/programs/{program.pk}/")
    assert page.locator("table.contributors").count() == 0
    page.locator("#muscle-chest summary").click()
    table = page.locator("#muscle-chest table.contributors")
    expect(table).to_be_visible()
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table).to_contain_text("Cable Fly")
    # The figures come in the same answer.
    expect(page.locator("#muscle-chest .muscle-detail")).to_contain_text(
        "5 fractional · 5 direct sets per week · trained 1× a week"
    )
    expect(page.locator("#muscle-chest .muscle-detail")).to_contain_text("Keeps muscle (MV) 4")
    # Closed and opened again: still one table (fetched once).
    page.locator("#muscle-chest summary").click()
    page.locator("#muscle-chest summary").click()
    expect(page.locator("#muscle-chest table.contributors")).to_have_count(1)
    expect(page.locator("#muscle-chest .muscle-detail p")).to_have_count(2)


def open_session_menu(page: Page, session_name: str):
    """Open a session's "More" menu and wait for its forms (they load when it first opens)."""
    summary = page.locator("summary", has_text=f"Actions for session {session_name}")
    summary.click()
    menu = summary.locator("xpath=..").locator("ul.more-menu")
    expect(menu.get_by_role("button", name=f"Delete session {session_name}")).to_be_visible()
    return menu


def test_a_sessions_menu_loads_when_it_opens(page, live_server, login, lifter, library):
    program = services.program_create(user=lifter, name="Menu Plan", structure_type="WEEKLY")
    services.session_create(user=lifter, program=program, name="Push", day_of_week=0)
    services.session_create(user=lifter, program=program, name="Pull", day_of_week=3)
    login(lifter.email, PASSWORD)
    page.goto(f"{live_server.url}/programs/{program.pk}/")
    page.evaluate("window.__marker = 1")
    assert page.locator(".session-more form").count() == 0  # no session's forms in the page
    menu = open_session_menu(page, "Pull")
    expect(menu.get_by_role("button", name="Move up Pull")).to_be_visible()
    expect(menu.get_by_role("button", name="Move down Pull")).to_have_count(0)  # the last session
    # Rename with a name too short: the error shows in the menu's form, which stays open.
    menu.locator("summary", has_text="Rename or change day").click()
    name = page.locator("input[id^=session-name-]")  # the loaded menu's (the page has "Add a session" too)
    name.fill("ab")
    name.evaluate("el => { el.form.noValidate = true; }")
    page.get_by_role("button", name="Save session").click()
    expect(page.locator("input[id^=session-name-][aria-invalid=true]")).to_be_visible()
    expect(page.locator(".session-more[open] .session-edit[open] .errorlist")).to_be_visible()
    page.locator("input[id^=session-name-]").fill("Pull heavy")
    page.locator("[id^=session-day-]").select_option(label="Friday")
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_role("heading", name="Friday · Pull heavy")).to_be_visible()
    # Move it up: the sessions region comes back, its menus closed and loading on demand again.
    menu = open_session_menu(page, "Pull heavy")
    menu.get_by_role("button", name="Move up Pull heavy").click()
    expect(page.locator("li.session h3")).to_have_text(["Monday · Pull heavy", "Friday · Push"])
    menu = open_session_menu(page, "Push")
    menu.get_by_role("button", name="Delete session Push").click()
    expect(page.locator("li.session h3")).to_have_text(["Monday · Pull heavy"])
    expect(page.locator("#toast .undo-form button")).to_be_focused()
    assert page.evaluate("window.__marker") == 1  # no page load
    assert [s.name for s in WorkoutSession.objects.filter(program=program)] == ["Pull heavy"]


def serious_violations(page: Page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_axe_builder_volume_and_template_pages(page, live_server, login, lifter, library):
    program = services.program_create(user=lifter, name="Axe Plan", structure_type="WEEKLY")
    push = services.session_create(user=lifter, program=program, name="Push", day_of_week=0)
    services.session_exercise_add(user=lifter, session=push, exercise=library["bench"], sets=4, reps="6-8")
    services.session_exercise_add(user=lifter, session=push, exercise=library["fly"], sets=12)  # a warning
    template = TrainingProgram.objects.create(
        name="Tpl Upper", structure_type="WEEKLY", frequency=1, is_template=True
    )
    t_session = WorkoutSession.objects.create(program=template, name="Upper", day_of_week=0, order_index=0)
    SessionExercise.objects.create(session=t_session, exercise=library["row"], sets=4, order_index=0)
    login(lifter.email, PASSWORD)

    pages = {
        "builder": f"/programs/{program.pk}/",
        "programs": "/programs/",
        "templates": "/programs/templates/",
        "template (volume)": f"/programs/templates/{template.pk}/",
        "print (volume)": f"/programs/{program.pk}/print/",
        "preferences": "/preferences/",
        "import": "/programs/import/",
    }
    problems = {}
    for name, path in pages.items():
        page.goto(f"{live_server.url}{path}")
        if name == "builder":
            # open a muscle's breakdown and the picker results too
            page.locator("#muscle-chest summary").click()
            expect(page.locator("#muscle-chest table.contributors")).to_be_visible()
            open_session_menu(page, "Push").locator("summary", has_text="Rename").click()
            page.get_by_label("Add exercise: name").first.fill("bench")
            expect(page.get_by_role("button", name="Add Barbell Bench Press")).to_be_visible()
            expect(page.locator(".volume-warnings")).to_be_visible()
        found = serious_violations(page)
        if found:
            problems[name] = found
    assert problems == {}


def test_remove_moves_focus_to_undo_and_unsaved_edits_are_not_lost_silently(
    page, live_server, login, lifter, library
):
    program = services.program_create(user=lifter, name="Focus Plan", structure_type="WEEKLY")
    push = services.session_create(user=lifter, program=program, name="Push", day_of_week=0)
    services.session_exercise_add(user=lifter, session=push, exercise=library["bench"], sets=3)
    services.session_exercise_add(user=lifter, session=push, exercise=library["fly"], sets=3)
    login(lifter.email, PASSWORD)
    page.goto(f"{live_server.url}/programs/{program.pk}/")

    # Remove (from the row's More menu) by keyboard: focus lands on Undo, and Enter undoes.
    open_row(page, "Cable Fly")
    page.locator("summary", has_text="More actions for Cable Fly").click()
    page.get_by_role("button", name="Remove Cable Fly").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".se-name")).to_have_count(1)
    undo = page.locator("#toast .undo-form button")
    expect(undo).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(".se-name")).to_have_count(2)

    # A typed, unsaved change: the row says so, and leaving the page asks first.
    row = SessionExercise.objects.get(session=push, exercise=library["bench"])
    open_row(page, "Barbell Bench Press")
    page.locator(f"#sets-{row.pk}").fill("5")
    expect(page.locator(f"#se-{row.pk}")).to_have_class("se-row is-editing")  # still the same row
    assert page.locator(f"#se-{row.pk} form.se-form.is-dirty").count() == 1
    dialogs = []

    def on_dialog(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", on_dialog)
    page.get_by_role("link", name="My programs").first.click()
    for _ in range(50):  # the browser asks before it leaves (up to 5 s on a busy machine)
        if dialogs:
            break
        page.wait_for_timeout(100)
    assert dialogs == ["beforeunload"]
    assert f"/programs/{program.pk}/" in page.url
    # Saved, nothing is asked.
    page.locator(f"#sets-{row.pk}").press("Enter")
    expect(page.locator("#muscle-chest")).to_have_attribute("data-sets", "8")  # 5 bench + 3 fly
    assert SessionExercise.objects.get(pk=row.pk).sets == 5


def test_a_field_tapped_before_the_opened_row_settles_keeps_the_focus_and_the_text(
    page, live_server, login, lifter, library
):
    """An opened row puts focus on Sets once htmx settles it; a person (or a paste) quicker than
    that into Notes keeps Notes, and what went in stays there."""
    program = services.program_create(user=lifter, name="Quick Fingers", structure_type="WEEKLY")
    push = services.session_create(user=lifter, program=program, name="Push", day_of_week=0)
    row = services.session_exercise_add(user=lifter, session=push, exercise=library["bench"], sets=3)
    login(lifter.email, PASSWORD)
    page.goto(f"{live_server.url}/programs/{program.pk}/")
    page.wait_for_function("window.htmx !== undefined")
    page.evaluate(
        "htmx.config.defaultSettleDelay = 2000;"  # widen the 20 ms window the race lives in
        "window.__settled = false;"
        "document.addEventListener('htmx:afterSettle', () => { window.__settled = true; }, {once: true});"
    )
    page.locator(f"#se-{row.pk} a.se-open").click()
    notes = page.locator(f"#notes-{row.pk}")
    notes.fill("Pause on the chest")  # the form is in the page, not settled yet
    assert page.evaluate("window.__settled") is False
    # Settled: builder.js's own afterSettle listener has run (it was added first).
    page.wait_for_function("() => window.__settled === true")
    expect(notes).to_be_focused()
    expect(notes).to_have_value("Pause on the chest")
    notes.press("Enter")
    expect(page.locator(f"#se-{row.pk} .prescription")).to_be_visible()
    assert SessionExercise.objects.get(pk=row.pk).notes == "Pause on the chest"

    # Opened and left alone, the row still puts focus on Sets.
    page.locator(f"#se-{row.pk} a.se-open").click()
    expect(page.locator(f"#sets-{row.pk}")).to_be_focused()
