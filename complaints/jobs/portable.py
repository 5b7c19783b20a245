"""The beat sweeps on databases other than PostgreSQL (SQLite, as `make run` uses it).

The other jobs write set-based SQL that only PostgreSQL understands (arrays, ANY, ON CONFLICT
... RETURNING, FOR UPDATE SKIP LOCKED). These are the same sweeps with the Django ORM,
meant for the demo and development scale: the same selection rules (taken from the same
SweepPlan), the same guarantees and the same return values, one complaint or row at a time.

- SLA: candidates of each track (current clock, resolution, ceiling) in deadline order (keyset
  batches); every due (complaint, clock, cycle,
  level) is written once, levels ascending, through `services.complaint_escalate`, whose
  unique step makes a repeated or overlapping sweep write nothing twice.
- Follow-ups: the rows due now, unique per complaint, kind and day, then handed to
  `followup_send_task` after commit.
- Outbox: SQLite has no SKIP LOCKED; each row is claimed with a guarded UPDATE (the same
  condition that selected it), so two sweeps never lease the same row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from complaints.jobs.plan import (
    EPOCH,
    FOLLOWUP_BATCH_SIZE,
    FOLLOWUP_SWEEP,
    NATIONAL,
    OUTBOX_BATCH_SIZE,
    OUTBOX_MAX_ATTEMPTS,
    OUTBOX_MIN_AGE,
    OUTBOX_SWEEP,
    SLA_BATCH_SIZE,
    SLA_SWEEP,
    LadderStep,
    SlaSweepResult,
    SweepPlan,
    drive_tracks,
    escalation_digests,
    followups_due,
    outbox_kick,
    sweep_mark,
)
from complaints.models import Complaint, Escalation, FollowUp, Notification
from complaints.outbox import dispatch
from complaints.outbox.delivery import OUTBOX_LEASE
from complaints.outbox.dispatch import TASK_FOLLOWUP_SEND, TASK_NOTIFICATION_DELIVER
from complaints.policy import ESCALATED_CLOCKS, TRACKS, Track
from complaints.services.escalation import complaint_escalate, escalation_ids, escalation_recipients

# ---------------------------------------------------------------------------------------------
# SLA escalation


@dataclass
class _Ladders:
    plan: SweepPlan
    steps: dict[tuple[int, int], list[LadderStep]]
    max_threshold: dt.datetime
    max_level: int

    def due_steps(self, *, due_at, level, agency_id, unit_id, category_id) -> list[LadderStep]:
        """The steps above `level` whose threshold the deadline reached, levels ascending."""
        plan = self.plan
        node = unit_id or agency_id or NATIONAL
        cal = plan.node_calendar.get(node, NATIONAL)
        pol = plan.policy_key(agency_id, category_id)
        return [
            s for s in self.steps.get((cal, pol), ()) if s.level > level and due_at <= s.threshold
        ]


def _ladders(plan: SweepPlan) -> _Ladders:
    """Thresholds per (calendar, policy, level), computed once per sweep (as the PostgreSQL
    path's sla_sweep_params does)."""
    now = plan.now
    steps = plan.ladder_steps()
    everything = [s for group in steps.values() for s in group]
    return _Ladders(
        plan=plan,
        steps=steps,
        max_threshold=max((s.threshold for s in everything), default=now - dt.timedelta(1)),
        max_level=max((s.level for s in everything), default=0),
    )


def _window(ladders: _Ladders, track: Track, after: tuple[dt.datetime, int], limit: int):
    """The next candidates of one track in deadline order, as
    (pk, due, clock, cycle, level, agency, unit, category)."""
    after_due, after_id = after
    qs = Complaint.objects.filter(
        track.running_q,
        status__in=track.statuses,
        **{f"{track.due}__lte": ladders.max_threshold, f"{track.level}__lt": ladders.max_level},
    )
    if not track.clock:
        qs = qs.filter(current_clock__in=ESCALATED_CLOCKS)
    rows = (
        qs.filter(
            Q(**{f"{track.due}__gt": after_due}) | Q(**{track.due: after_due, "pk__gt": after_id})
        )
        .order_by(track.due, "pk")
        .values_list(
            "pk",
            track.due,
            "current_clock",
            "clock_cycle",
            track.level,
            "agency_id",
            "unit_id",
            "category_id",
        )[:limit]
    )
    if not track.clock:
        return list(rows)
    # The resolution clock and the ceiling never restart: cycle 0.
    return [(pk, due, track.clock, 0, *rest) for pk, due, _clock, _cycle, *rest in rows]


def _sla_batch(
    ladders: _Ladders, track: Track, window: list[tuple], result: SlaSweepResult
) -> None:

    now = ladders.plan.now
    messages: list[tuple[int, int, int | None, str, dt.datetime | None]] = []
    for pk, due, clock, cycle, level, agency_id, unit_id, category_id in window:
        due_steps = ladders.due_steps(
            due_at=due, level=level, agency_id=agency_id, unit_id=unit_id, category_id=category_id
        )
        if not due_steps:
            continue
        with transaction.atomic():
            # The guard: still in a status of the track on the same deadline (and the same
            # clock and cycle) — a transition that committed since the window was read moved
            # it on.
            same = {"current_clock": clock, "clock_cycle": cycle} if not track.clock else {}
            still = Complaint.objects.filter(
                track.running_q, pk=pk, status__in=track.statuses, **{track.due: due}, **same
            ).exists()
            if not still:
                continue
            written: list[tuple[Escalation, LadderStep]] = []
            for step in due_steps:
                escalation = complaint_escalate(
                    complaint_id=pk,
                    clock=clock,
                    cycle=cycle,
                    level=step.level,
                    due_at=due,
                    name=step.name,
                    deliver_after=step.deliver_after,
                    notify=(),
                    now=now,
                )
                if escalation is not None:
                    written.append((escalation, step))
            if not written:
                continue
            # Highest step first, one message per person: someone named by several steps
            # reached at once hears about the highest (as on the PostgreSQL path).
            complaint = Complaint.objects.select_related("assignee", "unit", "agency").get(pk=pk)
            notified: set[int] = set()
            for escalation, step in reversed(written):
                for user in escalation_recipients(complaint=complaint, roles=step.notify):
                    if user.pk not in notified:
                        notified.add(user.pk)
                        messages.append(
                            (escalation.pk, pk, user.pk, user.email, escalation.deliver_after)
                        )
            result.escalations += len(written)
            result.events += len(written)
    # One message per recipient for the sweep, rendered at delivery (as on the PostgreSQL
    # path): added to the sweep's digest still pending, else a new one; written in the batch's
    # transaction, with its escalations.
    for d in escalation_digests(messages):
        pending = (
            Notification.objects.select_for_update()
            .filter(
                state=Notification.State.PENDING,
                created_at=now,
                kind="escalation",
                body="",
                recipient=d.email,
                not_before=d.not_before,
            )
            .first()
        )
        if pending is not None:
            ids = [*escalation_ids(pending), *d.escalation_ids]
            pending.payload = {"escalations": ids}
            if pending.complaint_id != d.complaint_id:
                pending.complaint_id = None
            pending.save(update_fields=["payload", "complaint"])
            continue
        Notification.objects.bulk_create(
            [
                Notification(
                    complaint_id=d.complaint_id,
                    recipient=d.email,
                    recipient_user_id=d.user_id,
                    kind="escalation",
                    cause_key=d.cause_key,
                    language=settings.LANGUAGE_CODE,
                    subject="",
                    body="",
                    payload=d.payload,
                    not_before=d.not_before,
                    created_at=now,
                )
            ],
            ignore_conflicts=True,
        )
        result.notifications += 1


def sla_sweep(
    *,
    now: dt.datetime | None = None,
    batch_size: int = SLA_BATCH_SIZE,
    max_batches: int | None = None,
    on_batch: Callable[[int], None] | None = None,
) -> SlaSweepResult:
    """`jobs.sla.sla_sweep` with the ORM: batches of `batch_size` candidates in
    deadline order (keyset), each in its own transaction; `more` when `max_batches` stopped
    it early."""
    now = now or timezone.now()
    result = SlaSweepResult()
    sweep_mark(name=SLA_SWEEP, started_at=now)
    ladders = _ladders(SweepPlan.build(now=now))

    def run_batch(track: Track, after: tuple[dt.datetime, int]) -> list[tuple]:
        with transaction.atomic():
            candidates = _window(ladders, track, after, batch_size)
            _sla_batch(ladders, track, candidates, result)
        return candidates

    drive_tracks(
        result, batch_size=batch_size, max_batches=max_batches, on_batch=on_batch, run=run_batch
    )
    if result.notifications:
        transaction.on_commit(outbox_kick)
    if not result.more:
        sweep_mark(name=SLA_SWEEP, success_at=now)
    return result


def sla_due_pairs(*, now: dt.datetime | None = None) -> list[tuple[int, str, int]]:
    """The (complaint id, clock, level) steps a sweep at `now` would escalate; read-only."""
    ladders = _ladders(SweepPlan.build(now=now or timezone.now()))
    pairs: list[tuple[int, str, int]] = []
    for track in TRACKS:
        after = (EPOCH, 0)
        while True:
            window = _window(ladders, track, after, SLA_BATCH_SIZE)
            for pk, due, clock, _cycle, level, agency_id, unit_id, category_id in window:
                steps = ladders.due_steps(
                    due_at=due,
                    level=level,
                    agency_id=agency_id,
                    unit_id=unit_id,
                    category_id=category_id,
                )
                pairs.extend((pk, clock, s.level) for s in steps)
            if len(window) < SLA_BATCH_SIZE:
                break
            after = (window[-1][1], window[-1][0])
    return pairs


# ---------------------------------------------------------------------------------------------
# Follow-ups


def followups_sweep(*, now: dt.datetime | None = None) -> list[int]:
    """`jobs.followups.followups_sweep` with the ORM: write the FollowUp rows due now
    (unique per complaint, kind and day: a rerun adds nothing) and hand new and stale pending
    ones to `followup_send_task` after commit. Returns the ids handed over."""
    now = now or timezone.now()
    sweep_mark(name=FOLLOWUP_SWEEP, started_at=now)
    due = sorted(followups_due(now=now), key=lambda d: (d.due_on, d.complaint_id))
    with transaction.atomic():
        existing = set(
            FollowUp.objects.filter(complaint_id__in={d.complaint_id for d in due}).values_list(
                "complaint_id", "kind", "due_on"
            )
        )
        new_ids: list[int] = []
        for d in due:
            key = (d.complaint_id, str(d.kind), d.due_on)
            if key in existing:
                continue
            existing.add(key)
            try:
                with transaction.atomic():  # a concurrent sweep wrote it: nothing to do
                    followup = FollowUp.objects.create(
                        complaint_id=d.complaint_id, kind=d.kind, due_on=d.due_on
                    )
            except IntegrityError:
                continue
            new_ids.append(followup.pk)
        if new_ids:
            # created_at is the sweep's clock, as in the set-based insert (auto_now_add).
            FollowUp.objects.filter(pk__in=new_ids).update(created_at=now)
        stale = (
            FollowUp.objects.filter(
                state=FollowUp.State.PENDING, created_at__lte=now - OUTBOX_MIN_AGE
            )
            .exclude(pk__in=new_ids)
            .order_by("due_on", "pk")
            .values_list("pk", flat=True)[:FOLLOWUP_BATCH_SIZE]
        )
        ids = sorted(new_ids + list(stale))
        if ids:
            transaction.on_commit(lambda: dispatch.enqueue_each(TASK_FOLLOWUP_SEND, ids))
    sweep_mark(name=FOLLOWUP_SWEEP, success_at=now)
    return ids


# ---------------------------------------------------------------------------------------------
# Outbox


def _outbox_due(*, now: dt.datetime, fresh_before: dt.datetime, expired: dt.datetime) -> Q:
    pending = Q(state=Notification.State.PENDING) & (
        Q(not_before__isnull=True) | Q(not_before__lte=now)
    )
    lost = (
        Q(leased_at__isnull=True, created_at__lte=fresh_before)
        | Q(leased_at__isnull=True, not_before__isnull=False)
        | Q(leased_at__lte=expired)
    )
    stuck = Q(state=Notification.State.SENDING, leased_at__lte=expired)
    return (pending & lost) | stuck


def outbox_sweep(
    *,
    now: dt.datetime | None = None,
    min_age: dt.timedelta = OUTBOX_MIN_AGE,
    lease: dt.timedelta = OUTBOX_LEASE,
    batch_size: int = OUTBOX_BATCH_SIZE,
) -> list[int]:
    """`jobs.outbox.outbox_sweep` with the ORM: lease and queue the pending rows older
    than `min_age` that nobody queued (or whose lease expired), deferred rows whose time has
    come and SENDING rows past their lease. Each row is claimed by a guarded UPDATE (the
    condition that selected it), so a row is leased by one sweep only. Returns the ids; a full
    batch means the caller should run again."""
    now = now or timezone.now()
    sweep_mark(name=OUTBOX_SWEEP, started_at=now)
    with transaction.atomic():
        Notification.objects.filter(
            state__in=[Notification.State.PENDING, Notification.State.SENDING],
            attempts__gte=OUTBOX_MAX_ATTEMPTS,
        ).update(state=Notification.State.FAILED, last_error="too many attempts")
        due = _outbox_due(now=now, fresh_before=now - min_age, expired=now - lease)
        candidates = list(
            Notification.objects.filter(due)
            .order_by(Coalesce("not_before", "created_at"), "pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        ids = sorted(
            pk
            for pk in candidates
            if Notification.objects.filter(due, pk=pk).update(
                state=Notification.State.PENDING, leased_at=now
            )
        )
        if ids:
            transaction.on_commit(lambda: dispatch.enqueue_each(TASK_NOTIFICATION_DELIVER, ids))
    sweep_mark(name=OUTBOX_SWEEP, success_at=now)
    return ids
