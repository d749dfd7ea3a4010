"""Peer-review allocation: who reviews whose final work.

Pure computation, no Django: the web views, the ``assign_reviewers`` command and the benchmark
all call :func:`allocate_reviewers`. Import from this package; its modules follow the steps:
``model`` (inputs, outputs, errors), ``groups``, ``network`` (the flow on groups), ``realise``
(pairs of people), ``feasibility`` (what blocks, and why), ``allocate``, ``relaxation`` and
``repair``.

The rules
---------
* Every author gets exactly ``K`` reviews, from ``K`` different reviewers, never from themselves.
* In the plain case (everybody is author and reviewer, as in the command line) everybody also
  gives exactly ``K`` reviews: a K-regular bipartite reviewer -> author assignment.
  When authors and reviewers differ (the web may add participants who submitted nothing as
  reviewers, or leave them out), reviewers give "as equal as possible" counts: with ``T = K *
  authors`` reviews to give, every reviewer gives ``T // reviewers`` or one more, and exactly
  ``T % reviewers`` of them give one more.
* ``not_same`` columns (hard, in order of importance, most important first): a reviewer never
  shares the column's value with the author. An empty value shares with nobody, so a person
  with no community may review anyone and be reviewed by anyone.
* ``spread`` column (soft): maximise, summed over authors, the number of distinct values
  among each author's reviewers. An empty value counts as one more value of its own (the
  "unknown" value). The optimum is exact (see below); per author it can never exceed
  ``min(K, distinct values among that author's eligible reviewers)``, and
  :attr:`Allocation.spread_bound` is that bound summed over authors.

How
---
Participants are grouped by (not-same values, spread value, role); authors whose class may
not review itself are not split by spread value or role. Within a group everyone is
interchangeable, so the allocator first decides how many reviews go from each reviewer group
to each author group, with a network flow on the group graph:

* hard rules only: :func:`scipy.sparse.csgraph.maximum_flow` (exact feasibility);
* with a spread column: first a maximum flow that demands the per-author upper bound; when it
  is reached (the usual case in large cohorts) the bound proves it optimal. Otherwise a
  min-cost flow, solved as an integer program by HiGHS (:func:`scipy.optimize.milp`), whose
  objective counts, per author group ``h`` and spread value ``v``, ``min(size(h), reviews
  from v into h)``: exactly the distinct-value count the realisation below achieves, so the
  spread optimum is exact, not a heuristic.

The counts are then realised inside groups by cyclic ("round-robin") runs: each reviewer group
lays its reviews out in a cycle over its members, each author group likewise, blocks of the
same spread value adjacent, and a within-group block uses shifted circulants (reviewer ``i``
reviews ``i + s`` for distinct shifts ``s != 0``), so nobody reviews themselves or the same
author twice.

Cost: linear in the number of participants (numpy) plus the flow. The network has
about (reviewer groups x author classes) arcs, since group pairs share hubs per (spread
value, author class); explicit pair arcs exist only between groups of at most K people. One
not-same column of 25 values with 60 spread values at 100,000 people: ~54,000 arcs, 0.3-0.6 s
in all. Several not-same columns multiply the classes: two columns (25 x 8 values) with 60
spread values reach ~1.5 million arcs and ~7 s. Cohorts where most groups have at most K
people (many rare values) degrade towards a person-level graph.

Infeasibility is found before anything is returned (:class:`AllocationInfeasible`), rule by
rule in order; :func:`relax_rules` finds the least relaxation that works, and
:func:`repair_allocation` adapts an existing allocation to a changed cohort with the fewest
changed pairs.
"""

from cohortkit.reviews.allocation.allocate import allocate_reviewers, spread_per_author
from cohortkit.reviews.allocation.feasibility import check_feasibility
from cohortkit.reviews.allocation.model import (
    RULE_TOO_FEW,
    Allocation,
    AllocationInfeasible,
    Cohort,
    CohortError,
    Participant,
    Relaxation,
    Repair,
    Rules,
    RulesError,
)
from cohortkit.reviews.allocation.relaxation import relax_rules, relaxation_ladder
from cohortkit.reviews.allocation.repair import repair_allocation

__all__ = [
    "RULE_TOO_FEW",
    "Allocation",
    "AllocationInfeasible",
    "Cohort",
    "CohortError",
    "Participant",
    "Relaxation",
    "Repair",
    "Rules",
    "RulesError",
    "allocate_reviewers",
    "check_feasibility",
    "relax_rules",
    "relaxation_ladder",
    "repair_allocation",
    "spread_per_author",
]
