"""programs.services.programs: creating, deleting and copying programs (tier limit, read-only, audit)."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from accounts.models import OrganizationStatus, UserTier
from accounts.tests.factories import UserFactory
from hypertroq.models import AuditAction, AuditLog
from programs import services
from programs.models import TrainingProgram, WorkoutSession
from programs.tests.factories import make_program

pytestmark = pytest.mark.django_db


def test_free_user_gets_three_programs_then_a_clear_message(user):
    for n in range(3):
        make_program(user, name=f"Program {n}")
    with pytest.raises(ValidationError, match="up to 3 active programs"):
        make_program(user, name="Fourth")
    assert TrainingProgram.objects.filter(user=user).count() == 3


def _restore_after_replacing(user, programs, template):
    services.program_delete(user=user, program=programs[0])
    make_program(user, name="Replacement")
    return lambda: services.program_restore_for_owner(
        user=user, program=TrainingProgram.all_objects.get(pk=programs[0].pk)
    )


NEW_PROGRAM_PATHS = {
    "duplicate": lambda user, programs, template: (
        lambda: services.program_duplicate(user=user, program=programs[0])
    ),
    "template": lambda user, programs, template: lambda: services.template_use(user=user, template=template),
    "restore": _restore_after_replacing,
}


@pytest.mark.parametrize("path", sorted(NEW_PROGRAM_PATHS))
def test_every_way_to_a_new_program_respects_the_limit(user, path):
    programs = [make_program(user, name=f"Program {n}") for n in range(3)]
    template = TrainingProgram.objects.create(
        name="Tpl", structure_type="WEEKLY", frequency=1, is_template=True
    )
    attempt = NEW_PROGRAM_PATHS[path](user, programs, template)
    with pytest.raises(ValidationError, match="up to 3"):
        attempt()
    assert TrainingProgram.objects.filter(user=user).count() == 3


def test_pro_users_have_no_program_limit():
    pro = UserFactory(subscription_tier=UserTier.PRO)
    for n in range(5):
        make_program(pro, name=f"Program {n}")
    assert TrainingProgram.objects.filter(user=pro).count() == 5


def test_read_only_members_change_nothing(user):
    program = make_program(user)
    user.organization.subscription_status = OrganizationStatus.SUSPENDED
    user.organization.save()
    with pytest.raises(ValidationError, match="read-only"):
        services.session_create(user=user, program=program, name="Push", day_of_week=0)
    with pytest.raises(ValidationError, match="read-only"):
        make_program(user, name="Another")
    assert not WorkoutSession.objects.filter(program=program).exists()


def test_deleting_a_program_leaves_one_audit_entry_naming_who_and_what(user):
    program = make_program(user, name="Old split")
    services.program_delete(user=user, program=program)
    entry = AuditLog.objects.get(action=AuditAction.OBJECT_DELETED)
    assert (entry.actor_id, entry.target_id, entry.target_repr) == (user.pk, str(program.pk), "Old split")
    assert entry.target_content_type == ContentType.objects.get_for_model(TrainingProgram)
    assert entry.organization_id == user.organization_id
    # Restoring it is audited too, and deleting is never recorded twice.
    services.program_restore_for_owner(user=user, program=TrainingProgram.all_objects.get(pk=program.pk))
    assert list(AuditLog.objects.order_by("created_at").values_list("action", flat=True)) == [
        AuditAction.OBJECT_DELETED,
        AuditAction.OBJECT_RESTORED,
    ]
