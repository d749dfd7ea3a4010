"""Application pages: the applicant's (applicant.py), reviewers' (review.py), coordinators'
(coordinator.py) and the outbox of decision mail (outbox.py)."""
