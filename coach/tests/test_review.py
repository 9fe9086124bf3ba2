"""The explained program review as a whole: the all-clear, the order of findings, evidence on every
finding, fixes as plain data, direct counting. Each rule family has its own module
(``test_review_<family>.py``): a program that triggers each rule and one that does not.

Pure tests: plain snapshots and synthetic exercises, no database.
"""

from __future__ import annotations

from coach.plan import (
    Fix,
    snapshot_volume,
)
from coach.review import review_program
from coach.tests.snapshots import (
    BENCH,
    CALF,
    CURL,
    GOOD,
    LATERAL,
    LIBRARY,
    PULLDOWN,
    REAR_FLY,
    SQUAT,
    codes,
    program,
    replace_session,
    review,
    weekly,
)


def test_a_sound_program_gets_one_all_clear_with_the_figures():
    findings = review(GOOD)

    assert codes(findings) == ["all_clear"]
    text = findings[0].explanation
    assert "All 11 major muscles between MEV and MRV" in text
    assert f"chest {weekly(GOOD, 'CHEST'):.1f}" in text
    assert f"calves {weekly(GOOD, 'CALVES'):.1f}" in text
    assert "pushing vs pulling" in text
    assert findings[0].fix is None


def test_every_finding_cites_evidence_from_domain_sources():
    findings = review(program(("Mon", 0, [(BENCH, 3, "3", 30)])))

    sources = ("Schoenfeld 2017", "Baz-Valle 2022", "Pelland 2024", "Schoenfeld 2016", "Singer 2024", "RP")
    assert findings
    for finding in findings:
        assert any(source in finding.evidence for source in sources), finding.code


def test_findings_come_most_important_first():
    snapshot = replace_session(
        0,
        [(BENCH, 3, "3", 30), (BENCH, 1), (PULLDOWN, 3), (SQUAT, 3), (LATERAL, 3), (CURL, 2), (REAR_FLY, 2)],
    )
    findings = review(snapshot)
    order = {"high": 0, "medium": 1, "low": 2, "info": 3}

    assert [order[f.severity] for f in findings] == sorted(order[f.severity] for f in findings)
    assert findings[0].severity == "high"
    assert findings[-1].severity == "low"


def test_a_fix_survives_a_round_trip_through_plain_data():
    snapshot = replace_session(
        0,
        [
            (BENCH, 3, "8-12", 45),
            (PULLDOWN, 3),
            (SQUAT, 3),
            (LATERAL, 3),
            (CURL, 2),
            (CALF, 3),
            (REAR_FLY, 2),
        ],
    )
    for finding in review(snapshot):
        if finding.fix is not None:
            assert Fix.from_dict(finding.fix.as_dict()) == finding.fix


def test_direct_counting_reviews_direct_sets():
    # By direct sets, triceps get only the pushdowns: 4 < MEV 6, though fractional sets are fine.
    snapshot = GOOD
    volume = snapshot_volume(snapshot, counting="direct")
    findings = review_program(snapshot, volume, LIBRARY)

    triceps = next(f for f in findings if f.code == "below_mev" and f.muscle == "TRICEPS")
    assert "Triceps gets 4.0 weekly sets" in triceps.explanation
