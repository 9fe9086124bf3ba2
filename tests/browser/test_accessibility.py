"""Accessibility and no-JavaScript operation of the user-facing pages, in a real browser.

- axe-core finds no serious or critical problem on every main page that test_builder.py,
  test_coach.py and test_exercise_library.py don't already check (the minor ones are printed);
- on every page the first Tab reaches the skip link, which is visibly focused and moves focus to
  <main>;
- with JavaScript switched off, a lifter builds a program (session, exercise through the picker,
  sets) by full-page form posts and sees the volume panel follow, and filters the library.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.tokens import default_token_generator
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from playwright.sync_api import Page, expect

from accounts import tokens
from accounts.models import Invitation, OrganizationTier, Role
from accounts.tests.factories import OrganizationFactory, UserFactory
from exercises.tests.factories import ExerciseFactory
from programs import services
from programs.models import SessionExercise, TrainingProgram

PASSWORD = "correct-horse-battery"


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
        "curl": ExerciseFactory(
            name="Dumbbell Curl", equipment="DUMBBELL", muscle_contributions={"ELBOW_FLEXORS": 1.0}
        ),
    }


@pytest.fixture
def coach(db, library):
    """A pro owner with a member, an open invitation, a custom exercise and programs (one in the trash)."""
    organization = OrganizationFactory(name="Iron Club", subscription_tier=OrganizationTier.PRO)
    owner = UserFactory(email="a11y-owner@example.com", full_name="Olga Owner", organization=organization)
    member = UserFactory(
        email="a11y-member@example.com", full_name="Mel Member", organization=organization, role=Role.MEMBER
    )
    Invitation.objects.create(
        organization=organization,
        email="invitee@example.com",
        role=Role.MEMBER,
        invited_by=owner,
        expires_at=timezone.now() + timezone.timedelta(days=7),
    )
    custom = ExerciseFactory(
        name="Landmine Press",
        is_global=False,
        created_by=owner,
        muscle_contributions={"FRONT_DELTS": 1.0, "CHEST": 0.5},
    )
    program = services.program_create(user=owner, name="Upper Lower", structure_type="WEEKLY")
    upper = services.session_create(user=owner, program=program, name="Upper", day_of_week=0)
    services.session_exercise_add(user=owner, session=upper, exercise=library["bench"], sets=4, reps="6-8")
    services.session_exercise_add(user=owner, session=upper, exercise=custom, sets=3)
    old = services.program_create(user=owner, name="Old Plan", structure_type="CYCLIC", frequency=3)
    services.program_delete(user=owner, program=old)
    member_program = services.program_create(user=member, name="Mel's Split", structure_type="WEEKLY")
    services.session_create(user=member, program=member_program, name="Full body", day_of_week=2)
    return {
        "owner": owner,
        "member": member,
        "custom": custom,
        "program": program,
        "upper": upper,
        "member_program": member_program,
    }


def violations(page: Page, label: str) -> list[str]:
    """Serious/critical axe findings on the page; the minor/moderate ones are printed."""
    found = Axe().run(page).response["violations"]
    serious = []
    for v in found:
        line = f"{label}: {v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        if v["impact"] in ("serious", "critical"):
            serious.append(line)
        else:
            print(line)
    return serious


def rgb(css: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", css)[:3])


def contrast(first: tuple[int, ...], second: tuple[int, ...]) -> float:
    def luminance(color: tuple[int, ...]) -> float:
        linear = [
            c / 255 / 12.92 if c / 255 <= 0.03928 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in color
        ]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def skip_link_problem(page: Page) -> str | None:
    """None when the first Tab lands on a visibly focused skip link whose Enter focuses <main>."""
    page.keyboard.press("Tab")
    focused = page.evaluate(
        """() => {
            const el = document.activeElement;
            if (!el) return null;
            const style = getComputedStyle(el);
            const box = el.getBoundingClientRect();
            return {text: el.textContent.trim(), cls: el.className, outline: style.outlineStyle,
                    width: parseFloat(style.outlineWidth), color: style.outlineColor,
                    visible: box.right > 0 && box.bottom > 0 && box.width > 0};
        }"""
    )
    if not focused or focused["cls"] != "skip-link":
        return f"first Tab reached {focused!r}, not the skip link"
    if not focused["visible"] or focused["outline"] == "none" or focused["width"] < 2:
        return f"the focused skip link is not visibly focused: {focused!r}"
    # The ring must stand out from the white page and the grey header panel (WCAG 1.4.11: 3:1).
    for background in ((255, 255, 255), (246, 248, 250)):
        if contrast(rgb(focused["color"]), background) < 3:
            return f"the focus ring {focused['color']} has under 3:1 contrast against {background}"
    page.keyboard.press("Enter")
    if not page.evaluate("document.activeElement && document.activeElement.id === 'main'"):
        return "Enter on the skip link did not move focus to <main>"
    return None


def unfocused_elements(page: Page, *, presses: int) -> list[str]:
    """Tab ``presses`` times; the elements focused without a visible (>= 2px) outline."""
    missing = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        state = page.evaluate(
            """() => {
                const el = document.activeElement;
                const style = getComputedStyle(el);
                return {tag: el.tagName, text: (el.textContent || el.id || '').trim().slice(0, 40),
                        ok: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2};
            }"""
        )
        if state["tag"] == "BODY":
            break
        if not state["ok"]:
            missing.append(f"{state['tag']} {state['text']!r}")
    return missing


def submit_unchecked(page: Page, button: str) -> None:
    """Submit the button's form past the browser's own checks, so the server's messages show."""
    submit = page.get_by_role("button", name=button, exact=True)
    submit.evaluate("b => { b.form.noValidate = true; }")
    submit.click()


def check(page: Page, url: str, label: str, problems: dict[str, list[str]]) -> None:
    page.goto(url)
    found = violations(page, label)
    keyboard = skip_link_problem(page)
    if keyboard:
        found.append(keyboard)
    if found:
        problems[label] = found


def test_pages_pass_axe_and_the_skip_link_works(page: Page, live_server, login, coach, library):
    base = live_server.url
    problems: dict[str, list[str]] = {}

    # Logged out: the public pages, then the forms with their error messages showing.
    invitation = Invitation.objects.get(email="invitee@example.com")
    owner = coach["owner"]
    reset = f"{urlsafe_base64_encode(force_bytes(owner.pk))}/{default_token_generator.make_token(owner)}"
    for label, path in {
        "home": "/",
        "signup": "/accounts/signup/",
        "signup done": "/accounts/signup/done/",
        "login": "/accounts/login/",
        "password reset": "/accounts/password/reset/",
        "password reset sent": "/accounts/password/reset/sent/",
        "password reset confirm": f"/accounts/password/reset/{reset}/",
        "password reset bad link": "/accounts/password/reset/MQ/bad-token/",
        "password reset complete": "/accounts/password/reset/done/",
        "verify failed": "/accounts/verify/not-a-token/",
        "invitation": f"/accounts/invitations/{tokens.invitation_token(invitation)}/",
        "invitation invalid": "/accounts/invitations/not-a-token/",
        "not found": "/no-such-page/",
    }.items():
        check(page, f"{base}{path}", label, problems)
    page.goto(f"{base}/accounts/signup/")
    submit_unchecked(page, "Sign up")
    expect(page.locator(".errorlist").first).to_be_visible()
    found = violations(page, "signup (errors)")
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(coach["owner"].email)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Log in").click()
    found += violations(page, "login (errors)")
    if found:
        problems["form errors"] = found

    login(owner.email, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    program, member, custom = coach["program"], coach["member"], coach["custom"]
    filters = urlencode(
        [
            ("q", "press"),
            ("muscle", "CHEST"),
            ("muscle_mode", "prime"),
            ("equipment", "BARBELL"),
            ("scope", "all"),
        ]
    )
    session_exercise = SessionExercise.objects.filter(session=coach["upper"]).first()
    assert session_exercise is not None
    for label, path in {
        "home (logged in)": "/",
        "dashboard": "/accounts/",
        "profile": "/accounts/profile/",
        "password change": "/accounts/password/",
        "delete account": "/accounts/delete/",
        "members": "/accounts/organization/members/",
        "library (name search)": "/exercises/?q=benhc+pres",
        "library (filters)": f"/exercises/?{filters}",
        "library (mine)": "/exercises/?scope=mine",
        "exercise detail (custom)": f"/exercises/{custom.pk}/",
        "new exercise": "/exercises/new/",
        "edit exercise": f"/exercises/{custom.pk}/edit/",
        "delete exercise": f"/exercises/{custom.pk}/delete/",
        "new program": "/programs/new/",
        "trash": "/programs/trash/",
        "give program": f"/programs/{program.pk}/give/",
        "picker (no JS page)": f"/programs/{program.pk}/sessions/{coach['upper'].pk}/picker/?q=curl",
        "swap": f"/programs/{program.pk}/exercises/{session_exercise.pk}/swap/",
        "session actions (no JS page)": f"/programs/{program.pk}/sessions/{coach['upper'].pk}/actions/",
        "muscle (no JS page)": f"/programs/{program.pk}/volume/chest/",
        "review (no JS page)": f"/programs/{program.pk}/review/",
        "member programs": f"/programs/members/{member.pk}/",
        "member program": f"/programs/members/{member.pk}/{coach['member_program'].pk}/",
    }.items():
        check(page, f"{base}{path}", label, problems)
    # Every element that Tab reaches shows the focus ring (builder, library with filters open).
    for path in (f"/programs/{program.pk}/", f"/exercises/?{filters}"):
        page.goto(f"{base}{path}")
        unringed = unfocused_elements(page, presses=60)
        if unringed:
            problems[f"focus ring {path}"] = unringed
    # The pages that other browser tests run axe on still get the keyboard check.
    for path in (
        "/programs/",
        f"/programs/{program.pk}/",
        f"/programs/{program.pk}/print/",
        "/programs/generate/",
    ):
        page.goto(f"{base}{path}")
        keyboard = skip_link_problem(page)
        if keyboard:
            problems[path] = [keyboard]
    # Forms showing their errors next to the fields.
    found = []
    page.goto(f"{base}/accounts/profile/")
    page.get_by_label("Full name").fill(" ")
    submit_unchecked(page, "Save")
    expect(page.locator(".errorlist").first).to_be_visible()
    found += violations(page, "profile (errors)")
    page.goto(f"{base}/accounts/password/")
    submit_unchecked(page, "Change password")
    expect(page.locator(".errorlist").first).to_be_visible()
    found += violations(page, "password change (errors)")
    page.goto(f"{base}/exercises/new/")
    submit_unchecked(page, "Add exercise")
    expect(page.locator(".errorlist").first).to_be_visible()
    found += violations(page, "new exercise (errors)")
    page.goto(f"{base}/programs/new/")
    submit_unchecked(page, "Create program")
    expect(page.locator(".errorlist").first).to_be_visible()
    found += violations(page, "new program (errors)")
    if found:
        problems["logged-in form errors"] = found
    assert problems == {}


def volume_sets(page: Page, muscle: str) -> str:
    return page.locator(f"#muscle-{muscle}").get_attribute("data-sets") or ""


def test_build_a_program_and_filter_the_library_without_javascript(browser, live_server, library):
    lifter = UserFactory(email="nojs@example.com")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(lifter.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{base}/accounts/")

    page.goto(f"{base}/programs/new/")
    page.get_by_label("Name").fill("Plain HTML")
    page.get_by_label("Weekly").check()
    page.get_by_role("button", name="Create program").click()
    expect(page.get_by_role("heading", name="Plain HTML", level=1)).to_be_visible()
    program = TrainingProgram.objects.get(user=lifter)
    builder_url = f"{base}/programs/{program.pk}/"
    assert page.url.startswith(builder_url)

    page.locator("#new-session-name").fill("Push")
    page.locator("#new-session-day").select_option(label="Monday")
    page.get_by_role("button", name="Add session").click()
    expect(page.get_by_role("heading", name="Monday · Push")).to_be_visible()
    assert volume_sets(page, "chest") == "0"

    # The picker: the search form submits to a page of results with an Add button each.
    session = page.locator("li.session").filter(has=page.get_by_role("heading", name="Monday · Push"))
    session.get_by_label("Add exercise: name").fill("bench")
    session.get_by_role("button", name=re.compile(r"^(Search|Find)")).first.click()
    page.get_by_role("button", name="Add Barbell Bench Press").click()
    expect(page.locator(".se-name", has_text="Barbell Bench Press")).to_be_visible()
    assert page.url.startswith(builder_url)
    expect(page.locator("#muscle-chest")).to_have_attribute("data-sets", "3")

    # A row is a link to its own page: the form there posts and comes back to the builder.
    row = SessionExercise.objects.get(session__program=program)
    page.locator(f"#se-{row.pk} a.se-open").click()
    expect(page.get_by_role("heading", name="Barbell Bench Press", level=1)).to_be_visible()
    page.locator(f"#sets-{row.pk}").fill("5")
    page.locator(f"#sets-{row.pk}").press("Enter")
    expect(page.locator("#muscle-chest")).to_have_attribute("data-sets", "5")
    expect(page.locator(f"#se-{row.pk} .prescription")).to_contain_text("5 sets")
    assert SessionExercise.objects.get(pk=row.pk).sets == 5
    assert page.url.startswith(builder_url)

    # A second exercise, then reorder, swap, remove and undo: each a plain form post.
    session.get_by_label("Add exercise: name").fill("curl")
    session.get_by_role("button", name=re.compile(r"^Search")).first.click()
    page.get_by_role("button", name="Add Dumbbell Curl").click()
    expect(page.locator("#muscle-elbow_flexors")).to_have_attribute("data-sets", "3")
    # Up, Down, Swap and Remove sit in the "More" menu of each row's page (a <details>).
    page.locator("a.se-open", has_text="Dumbbell Curl").click()
    page.locator("summary", has_text="More actions for Dumbbell Curl").click()
    page.get_by_role("button", name="move Dumbbell Curl up").click()
    expect(page.locator(".se-name")).to_have_text(["Dumbbell Curl", "Barbell Bench Press"])
    page.locator("a.se-open", has_text="Barbell Bench Press").click()
    page.locator("summary", has_text="More actions for Barbell Bench Press").click()
    page.get_by_role("link", name=re.compile(r"^Swap.*Barbell Bench Press")).click()
    page.get_by_role("button", name="Use Cable Fly").click()
    expect(page.locator(".se-name")).to_have_text(["Dumbbell Curl", "Cable Fly"])
    expect(page.locator("#muscle-front_delts")).to_have_attribute("data-sets", "1.25")  # 5 sets x 0.25
    page.locator("a.se-open", has_text="Dumbbell Curl").click()
    page.locator("summary", has_text="More actions for Dumbbell Curl").click()
    page.get_by_role("button", name="Remove Dumbbell Curl").click()
    expect(page.locator(".se-name")).to_have_text(["Cable Fly"])
    expect(page.locator("#muscle-elbow_flexors")).to_have_attribute("data-sets", "0")
    page.get_by_role("button", name=re.compile("Undo")).click()
    expect(page.locator(".se-name")).to_have_count(2)
    expect(page.locator("#muscle-elbow_flexors")).to_have_attribute("data-sets", "3")

    # The session's "More" menu links to a page with its actions; its forms post and come back.
    page.locator("summary", has_text="Actions for session Push").click()
    page.get_by_role("link", name="Move, rename or delete Push").click()
    expect(page.get_by_role("heading", name="Monday · Push", level=1)).to_be_visible()
    page.get_by_label("Session name").fill("Push day")
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_role("heading", name="Monday · Push day")).to_be_visible()
    assert page.url.startswith(builder_url)
    # An opened muscle links to its page: the same figures and where its sets come from.
    page.locator("#muscle-chest summary").click()
    page.get_by_role("link", name="Figures and where these chest sets come from").click()
    expect(page.get_by_role("heading", name="Chest: where the sets come from")).to_be_visible()
    expect(page.locator("main")).to_contain_text("fractional · ")
    expect(page.locator("table.contributors")).to_contain_text("Cable Fly")
    page.get_by_role("link", name=re.compile("Back to Plain HTML")).click()
    assert page.url.startswith(builder_url)

    # The coach's review (a page of its own without JavaScript) and its Apply work as page loads too.
    chest_before = float(volume_sets(page, "chest"))
    page.get_by_role("button", name="Review my program").click()
    expect(page.locator("li.finding").first).to_be_visible()
    finding = page.locator("li.finding", has_text="Chest below MEV")
    finding.get_by_role("button", name=re.compile(r"^Apply")).click()
    expect(page.locator("#coach-review")).to_contain_text("Applied")
    assert float(volume_sets(page, "chest")) > chest_before
    assert page.url.startswith(builder_url)

    # The library: tick a filter and press Search.
    page.goto(f"{base}/exercises/")
    page.get_by_text("Filters").click()
    page.get_by_label("Cable", exact=True).check()
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page).to_have_url(re.compile(r"equipment=CABLE"))
    results = page.locator("#exercise-results")
    expect(results.get_by_role("link", name="Cable Fly")).to_be_visible()
    expect(results.get_by_role("link", name="Barbell Bench Press")).to_have_count(0)
    context.close()
