"""The schema in the database itself: ON DELETE rules that work for a plain-SQL DELETE, every named
index, and migrations that go to zero and back on a database full of data."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from accounts.models import Organization, User
from accounts.tests.factories import OrganizationFactory, UserFactory
from exercises.models import Exercise
from exercises.tests.factories import ExerciseFactory
from hypertroq.tests.rawsql import execute, scalar, violated_constraint
from programs.models import SessionExercise, TrainingProgram, WorkoutSession
from programs.tests.factories import (
    SessionExerciseFactory,
    TrainingProgramFactory,
)

pytestmark = pytest.mark.django_db


def count(table: str, where: str, params: list) -> int:
    return scalar(f"SELECT count(*) FROM {table} WHERE {where}", params)


def check_deferred_constraints() -> None:
    """Our foreign keys are DEFERRABLE INITIALLY DEFERRED: check them now, as COMMIT would."""
    execute("SET CONSTRAINTS ALL IMMEDIATE")
    execute("SET CONSTRAINTS ALL DEFERRED")


def full_program():
    """A user in an organization with a program -> session -> session exercise chain."""
    row = SessionExerciseFactory()
    session = row.session
    program = session.program
    return program.user, program, session, row


# --- ON DELETE rules in the database (plain-SQL deletes) ---------------------------------------------


def test_deleting_an_organization_cascades_to_its_users_and_their_data():
    user, program, session, row = full_program()
    org = user.organization
    other = UserFactory()
    assert execute("DELETE FROM organizations WHERE id = %s", [org.pk]) == 1
    check_deferred_constraints()
    assert count("users", "organization_id = %s", [org.pk]) == 0
    assert count("training_programs", "id = %s", [program.pk]) == 0
    assert count("workout_sessions", "id = %s", [session.pk]) == 0
    assert count("session_exercises", "id = %s", [row.pk]) == 0
    assert count("users", "id = %s", [other.pk]) == 1


def test_deleting_a_user_cascades_to_programs():
    user, program, session, row = full_program()
    kept = TrainingProgramFactory()
    execute("DELETE FROM users WHERE id = %s", [user.pk])
    check_deferred_constraints()
    assert count("training_programs", "user_id = %s", [user.pk]) == 0
    assert count("workout_sessions", "program_id = %s", [program.pk]) == 0
    assert count("session_exercises", "session_id = %s", [session.pk]) == 0
    assert count("training_programs", "id = %s", [kept.pk]) == 1
    assert count("exercises", "id = %s", [row.exercise_id]) == 1  # the library is untouched


def test_deleting_a_program_cascades_to_sessions_and_their_exercises():
    _, program, session, row = full_program()
    execute("DELETE FROM training_programs WHERE id = %s", [program.pk])
    check_deferred_constraints()
    assert count("workout_sessions", "id = %s", [session.pk]) == 0
    assert count("session_exercises", "id = %s", [row.pk]) == 0


def test_deleting_a_session_cascades_to_its_exercises():
    _, program, session, row = full_program()
    execute("DELETE FROM workout_sessions WHERE id = %s", [session.pk])
    check_deferred_constraints()
    assert count("session_exercises", "id = %s", [row.pk]) == 0
    assert count("training_programs", "id = %s", [program.pk]) == 1


def test_an_exercise_in_use_cannot_be_deleted():
    _, _, _, row = full_program()
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        execute("DELETE FROM exercises WHERE id = %s", [row.exercise_id])
    assert violated_constraint(caught.value) == "fk_session_exercises_exercise_id"
    assert count("exercises", "id = %s", [row.exercise_id]) == 1
    unused = ExerciseFactory()
    assert execute("DELETE FROM exercises WHERE id = %s", [unused.pk]) == 1


def test_an_exercise_used_only_by_a_soft_deleted_row_still_cannot_be_deleted():
    _, _, _, row = full_program()
    row.mark_deleted()
    row.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        execute("DELETE FROM exercises WHERE id = %s", [row.exercise_id])


def test_deleting_a_user_keeps_their_custom_exercises_without_an_owner():
    owner = UserFactory()
    custom = ExerciseFactory(is_global=False, created_by=owner, name="Owner's Curl")
    execute("DELETE FROM users WHERE id = %s", [owner.pk])
    check_deferred_constraints()
    assert scalar("SELECT created_by_user_id FROM exercises WHERE id = %s", [custom.pk]) is None
    assert Exercise.objects.get(pk=custom.pk).created_by is None


def test_deleting_a_coach_keeps_the_programs_they_assigned():
    coach = UserFactory()
    program = TrainingProgramFactory(assigned_by=coach)
    copy = TrainingProgramFactory(source=program)
    execute("DELETE FROM users WHERE id = %s", [coach.pk])
    execute("DELETE FROM training_programs WHERE id = %s", [program.pk])
    check_deferred_constraints()
    assert scalar("SELECT source_id FROM training_programs WHERE id = %s", [copy.pk]) is None


def test_django_deletes_follow_the_same_rules():
    user, _, _, row = full_program()
    exercise = row.exercise
    with pytest.raises(Exception, match="restricted"), transaction.atomic():
        exercise.delete()
    user.organization.delete()
    assert not User.all_objects.filter(pk=user.pk).exists()
    assert not SessionExercise.all_objects.filter(pk=row.pk).exists()
    assert Exercise.objects.filter(pk=exercise.pk).exists()


EXPECTED_ON_DELETE = [
    ("users", "organization_id", "organizations", "c"),
    ("user_preferences", "user_id", "users", "c"),
    ("exercises", "created_by_user_id", "users", "n"),
    ("training_programs", "user_id", "users", "c"),
    ("training_programs", "assigned_by_id", "users", "n"),
    ("training_programs", "source_id", "training_programs", "n"),
    ("workout_sessions", "program_id", "training_programs", "c"),
    ("session_exercises", "session_id", "workout_sessions", "c"),
    ("session_exercises", "exercise_id", "exercises", "r"),
]


@pytest.mark.parametrize(("table", "column", "references", "action"), EXPECTED_ON_DELETE)
def test_foreign_key_carries_the_schema_on_delete_rule(table, column, references, action):
    rows = _fetch(
        """
        SELECT con.confdeltype, con.confrelid::regclass::text
        FROM pg_constraint con
        JOIN pg_attribute att ON att.attrelid = con.conrelid AND att.attnum = ANY (con.conkey)
        WHERE con.contype = 'f' AND con.conrelid = %s::regclass AND att.attname = %s
        """,
        [table, column],
    )
    assert rows == [(action, references)]  # exactly one foreign key, with the schema's rule


def _fetch(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [tuple(r) for r in cursor.fetchall()]


# --- indexes by name --------------------------------------------------------------------------------

EXPECTED_INDEXES = {
    # name: (table, fragments the definition must contain)
    "ix_users_email": ("users", ["(email)"]),
    "ix_users_email_lower": ("users", ["UNIQUE", "lower((email)::text)"]),
    "ix_users_organization_id": ("users", ["(organization_id)"]),
    "ix_organizations_slug": ("organizations", ["UNIQUE", "(slug)"]),
    "ix_exercises_name": ("exercises", ["(name)"]),
    "ix_exercises_is_global": ("exercises", ["(is_global)"]),
    "ix_exercises_created_by_user_id": ("exercises", ["(created_by_user_id)"]),
    "ix_exercises_equipment": ("exercises", ["(equipment)"]),
    "ix_exercises_global_equipment": ("exercises", ["(is_global, equipment)", "WHERE is_global"]),
    "ix_exercises_name_trgm": ("exercises", ["USING gin", "gin_trgm_ops"]),
    "ix_exercises_embedding_cosine": ("exercises", ["USING hnsw", "vector_cosine_ops"]),
    "ix_programs_user_id": ("training_programs", ["(user_id)"]),
    "ix_programs_is_template": ("training_programs", ["(is_template)"]),
    "ix_sessions_program_id": ("workout_sessions", ["(program_id)"]),
    "ix_session_exercises_session_id": ("session_exercises", ["(session_id)"]),
    "ix_session_exercises_exercise_id": ("session_exercises", ["(exercise_id)"]),
    "ix_session_exercise_unique": ("session_exercises", ["UNIQUE", "(session_id, exercise_id, order_index)"]),
}


@pytest.mark.parametrize("name", sorted(EXPECTED_INDEXES))
def test_schema_index_exists_by_name(name):
    table, fragments = EXPECTED_INDEXES[name]
    rows = _fetch("SELECT tablename, indexdef FROM pg_indexes WHERE indexname = %s", [name])
    assert len(rows) == 1, f"index {name} is missing"
    found_table, definition = rows[0]
    assert found_table == table
    for fragment in fragments:
        assert fragment in definition, definition


def test_extensions_are_installed():
    names = {r[0] for r in _fetch("SELECT extname FROM pg_extension", [])}
    assert {"vector", "pg_trgm"} <= names


def test_the_trigram_index_serves_a_similarity_search():
    ExerciseFactory.create_batch(3)
    execute("SET LOCAL enable_seqscan = off")
    plan = "\n".join(r[0] for r in _fetch("EXPLAIN SELECT id FROM exercises WHERE name %% %s", ["press"]))
    assert "ix_exercises_name_trgm" in plan


# --- migrations: to zero and back, with data in every table --------------------------------------------


def fill_every_table() -> None:
    from accounts.models import Invitation
    from hypertroq.audit import AuditAction, audit_log
    from programs.models import VolumePreference

    user, program, _, _ = full_program()
    ExerciseFactory(is_global=False, created_by=user, name="Custom Row")
    TrainingProgramFactory(user=None, is_template=True, name="A Template")
    Invitation.objects.create(
        organization=user.organization,
        email="invitee@example.com",
        invited_by=user,
        expires_at=program.created_at,
    )
    VolumePreference.objects.create(user=user)
    audit_log(action=AuditAction.ADMIN_CHANGE, actor=user, target=program)
    OrganizationFactory()


def test_migrate_to_zero_and_back_on_a_database_with_data():
    """Runs inside the test's transaction (PostgreSQL DDL is transactional), so the shared test
    database is rolled back afterwards whatever happens."""
    fill_every_table()
    project_tables = [
        "organizations",
        "users",
        "exercises",
        "training_programs",
        "workout_sessions",
        "session_exercises",
        "invitations",
        "audit_logs",
    ]
    for table in project_tables:
        assert scalar(f"SELECT count(*) FROM {table}") > 0, table
    # Rows written in this transaction leave deferred foreign-key checks pending; run them now,
    # as a COMMIT would, since PostgreSQL cannot drop a table with pending trigger events.
    execute("SET CONSTRAINTS ALL IMMEDIATE")
    try:
        call_command("migrate", "accounts", "zero", verbosity=0, interactive=False)
        remaining = {r[0] for r in _fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'", [])}
        assert not remaining & set(project_tables), remaining
        call_command("migrate", verbosity=0, interactive=False)
        for model in (Organization, User, Exercise, TrainingProgram, WorkoutSession, SessionExercise):
            assert model.all_objects.count() == 0
        # The schema is whole again: constraints, rules and raw-SQL indexes are back.
        assert_schema_is_whole()
        user, _, _, _ = full_program()
        assert User.objects.filter(pk=user.pk).exists()
    finally:
        call_command("migrate", verbosity=0, interactive=False)  # never leave the schema half-built
        # post_migrate made new content types inside this transaction; the rollback drops them.
        ContentType.objects.clear_cache()


def assert_schema_is_whole() -> None:
    for table, column, references, action in EXPECTED_ON_DELETE:
        test_foreign_key_carries_the_schema_on_delete_rule(table, column, references, action)
    for name in EXPECTED_INDEXES:
        test_schema_index_exists_by_name(name)
    constraint = scalar(
        "SELECT conname FROM pg_constraint WHERE conname = 'chk_exercises_muscle_contributions_valid'"
    )
    assert constraint == "chk_exercises_muscle_contributions_valid"


def test_no_model_changes_lack_a_migration():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
