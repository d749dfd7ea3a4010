"""What the exercises app tells others, without importing them.

`attempt_finished(sender=Attempt, attempt=..., run=...)` is sent after the transaction
that finished a learner's attempt commits. The learning app listens (its completion rules
read exercise results), so a self-paced learner's certificate needs no staff action, and
the exercises app never imports learning.
"""

from django.dispatch import Signal

attempt_finished = Signal()
