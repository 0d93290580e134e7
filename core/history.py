"""Who changed a record, and why, for changes made outside an admin form (imports, commands).

Every Actor, Source, Metal, Question and Claim keeps its history with django-simple-history: a row
per change with the user, the time, the type (+ created, ~ changed, - deleted) and the values, m2m
relations included. An admin form records its user itself; an import or a command says who and why
by wrapping its writes:

    with change_reason("import of claims.csv", user=alice):
        resource.import_data(...)

Every history row saved inside the block, in this thread or task, gets the reason (unless the code
saving it set one of its own) and, when no user is known already, the given user. The values live in
a context variable, so concurrent requests and imports never see each other's.

This module is in `core`, which every app depends on, so every admin and every import can use it;
CoreConfig.ready connects its receiver.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.dispatch import receiver
from simple_history.signals import pre_create_historical_record

_context = ContextVar("history_change_context", default=None)


@contextmanager
def change_reason(reason, *, user=None):
    """Record `reason` (and `user`, when given) on every history row saved inside the block."""
    token = _context.set((reason, user))
    try:
        yield
    finally:
        _context.reset(token)


def current_change_context():
    """(reason, user) of the enclosing block, or (None, None): for history rows written in bulk
    (the interchange engine), which send no signal for the receiver below to fill in."""
    return _context.get() or (None, None)


@receiver(pre_create_historical_record)
def _fill_in_reason_and_user(sender, history_instance, **kwargs):
    current = _context.get()
    if current is None:
        return
    reason, user = current
    if not history_instance.history_change_reason:
        history_instance.history_change_reason = reason
    if history_instance.history_user_id is None and user is not None and user.pk:
        history_instance.history_user = user
