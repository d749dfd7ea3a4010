"""The exact weekly session planner.

Given participants (an IANA zone and a weekly availability each, see
:mod:`cohortkit.scheduling.availability`), a run of ``weeks`` weeks from ``start`` and a
session length, :func:`plan_sessions` picks ``sessions`` weekly times that let the most
participants attend a session every week. It is exact: the optimum, never an approximation.

Semantics
---------
Candidates
    Every weekday and start time on the 15-minute grid, 672 in all, as wall-clock time in the
    ``anchor`` zone (default UTC). Candidate index ``weekday * 96 + minute_of_day // 15``
    (weekday 0 = Monday); :class:`SessionTime` is the public form.
Weeks
    Week ``w`` (0-based; messages say "week w+1") is the 7 days ``start + 7w`` ...
    ``start + 7w + 6``. A candidate occurs in week ``w`` on the day of those 7 with its weekday,
    at its wall time in the anchor zone. A wall time the anchor zone skips (DST gap) does not
    occur that week, so the candidate cannot be attended that week; an ambiguous wall time
    (DST fold) is the earlier instant (``fold=0``).
Attending
    A participant can attend an occurrence starting at instant ``t`` when every local
    15-minute slot overlapping ``[t, t + duration)`` is in their availability, reading the
    slots in the participant's own zone at each instant, so a session that crosses local
    midnight or a local DST change needs the slots on both sides. A participant can attend a
    candidate when they can attend its occurrences in every week.
Coverage
    A plan of K distinct candidates covers a participant who can attend at least one of them.
    A covered participant is assigned to the first plan time (in plan order) they can attend
    whose sessions never touch their local night, else to the first plan time they can attend.
Night
    A session touches the local night when, in some week, any minute of it falls in local
    22:00-07:00 (it starts or overlaps that window).
Optimum
    :func:`plan_sessions` maximises, in order: (1) the number of covered participants;
    (2) the number of covered participants whose assigned session never touches their night
    (equivalently: minimises ``Plan.night``); (3) it takes the lexicographically smallest
    tuple of candidate indices (earliest in the anchor week, Monday 00:00 first).
    ``Plan.times`` lists the chosen times in candidate-index order.

Method: participants sharing (zone, availability) are merged with weights. For each zone, the
per-week maps from anchor candidates to local slots are computed with numpy (weeks with
identical maps are merged), giving a boolean "attendable every week" matrix. K = 1 is an
argmax; K = 2 uses a weighted pair-intersection matrix (float32 matmul, exact for cohorts under
2**24) on the candidates a greedy lower bound cannot exclude; K >= 3 is a depth-first branch
and bound whose bounds come from that pair matrix and whose exact gains are weighted popcounts
over bitsets. Identical candidate columns are merged (keeping the K earliest), which is safe
under the tie-break.

Assumption: the zones' UTC offsets change at most once a day within the run (true of every
zone since 1950); offsets are whole minutes.

No Django imports: the web views, the ``plan-sessions`` command and the benchmarks share this.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import numpy as np
import numpy.typing as npt

from cohortkit.scheduling.availability import (
    SLOT_MINUTES,
    SLOTS_PER_DAY,
    SLOTS_PER_WEEK,
    WEEKDAYS,
    Participant,
    get_zone,
)

Progress = Callable[[str, float], None]
"""``progress(stage, fraction)``; stages are "maps", "attendance", "search" and "done"."""

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]

MINUTES_PER_DAY = 24 * 60
MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY
NIGHT_STARTS_SLOT = 22 * 60 // SLOT_MINUTES
NIGHT_ENDS_SLOT = 7 * 60 // SLOT_MINUTES
_EPOCH_DAYS_BEFORE_START = 2


@dataclass(frozen=True, order=True, slots=True)
class SessionTime:
    """A weekly session start: weekday (0 = Monday) and minutes after midnight, anchor zone."""

    weekday: int
    minute_of_day: int

    def __post_init__(self) -> None:
        if not 0 <= self.weekday < 7:
            raise ValueError(f"weekday {self.weekday} is not 0 (Monday) ... 6 (Sunday)")
        if not 0 <= self.minute_of_day < MINUTES_PER_DAY or self.minute_of_day % SLOT_MINUTES:
            raise ValueError(f"minute_of_day {self.minute_of_day} is not on the 15-minute grid")

    @classmethod
    def from_index(cls, index: int) -> SessionTime:
        if not 0 <= index < SLOTS_PER_WEEK:
            raise ValueError(f"candidate index {index} is not 0 ... 671")
        return cls(index // SLOTS_PER_DAY, index % SLOTS_PER_DAY * SLOT_MINUTES)

    @classmethod
    def parse(cls, text: str) -> SessionTime:
        """Read ``"Mon 14:00"`` (the form :attr:`label` writes)."""
        try:
            day, clock = text.split()
            hours, minutes = clock.split(":")
            weekday = [name.lower() for name in WEEKDAYS].index(day.lower())
            return cls(weekday, int(hours) * 60 + int(minutes))
        except ValueError as exc:
            raise ValueError(f"{text!r} is not a session time like 'Mon 14:00'") from exc

    @property
    def index(self) -> int:
        return self.weekday * SLOTS_PER_DAY + self.minute_of_day // SLOT_MINUTES

    @property
    def clock(self) -> str:
        return f"{self.minute_of_day // 60:02d}:{self.minute_of_day % 60:02d}"

    @property
    def label(self) -> str:
        return f"{WEEKDAYS[self.weekday]} {self.clock}"


@dataclass(frozen=True, slots=True)
class OffsetShift:
    """A change of a participant's UTC offset relative to the anchor zone during the run.

    ``week`` is the 0-based run week (by anchor date) of the instant ``at``; ``before`` and
    ``after`` are the participant's local time minus the anchor's, in minutes. Sessions after
    ``at`` fall ``after - before`` minutes later in the participant's local time.
    """

    week: int
    at: datetime
    before: int
    after: int


@dataclass(frozen=True, slots=True)
class UncoveredReason:
    """Why a participant is not covered.

    ``code`` is one of ``"no_window"`` (no available stretch holds a session),
    ``"not_every_week"`` (sessions fit in some weeks only; ``weeks`` lists the 0-based weeks
    that fail for the candidate fitting most weeks) and ``"not_chosen"`` (some candidates fit
    every week but the plan chose none of them). The parameters of the reason are data, so a
    page can say it in its reader's language: ``other_times`` (for ``"not_chosen"``, how many
    other times the participant could attend every week) and ``shift_weeks`` (for
    ``"not_every_week"``, the 0-based weeks in which their clocks change, when that is the
    cause; empty when the session time does not exist in the failing weeks). ``message``
    says it in English, for the command line.
    """

    code: str
    message: str
    weeks: tuple[int, ...] = ()
    other_times: int = 0
    shift_weeks: tuple[int, ...] = ()


@dataclass(frozen=True, eq=False)
class Plan:
    """The result of :func:`plan_sessions` or :func:`evaluate_plan`.

    ``assignment`` maps every participant id (input order) to an index into ``times`` or
    ``None``. ``coverage`` has shape (7, 96): for each candidate (anchor weekday, 15-minute
    start) the number of participants who can attend it every week, for a heat map.
    ``night`` counts covered participants whose assigned session touches local 22:00-07:00.
    ``offset_shifts`` lists, for each participant whose offset to the anchor changes during
    the run, those changes; participants without changes are absent.
    """

    times: list[SessionTime]
    covered: int
    night: int
    assignment: dict[str, int | None]
    coverage: IntArray
    uncovered: dict[str, UncoveredReason]
    offset_shifts: dict[str, list[OffsetShift]]
    anchor: str
    start: date
    weeks: int
    duration_minutes: int
    participants: int = field(default=0)


# --------------------------------------------------------------------------------------------
# Time: minutes since the epoch (start - 2 days, 00:00). UTC instants count from that UTC
# midnight, local wall times from that local midnight, so local = utc + offset.


@dataclass(frozen=True)
class _Offsets:
    """A zone's UTC offset over the run: ``offsets[i]`` holds from ``breaks[i]`` on."""

    breaks: IntArray
    offsets: IntArray

    def at(self, minutes: IntArray) -> IntArray:
        index = np.searchsorted(self.breaks, minutes, side="right") - 1
        return self.offsets[np.maximum(index, 0)]


@dataclass(frozen=True)
class _Run:
    start: date
    weeks: int
    duration: int
    anchor: str

    @functools.cached_property
    def epoch(self) -> datetime:
        first = self.start - timedelta(days=_EPOCH_DAYS_BEFORE_START)
        return datetime.combine(first, time(), tzinfo=UTC)

    @functools.cached_property
    def span(self) -> int:
        days = _EPOCH_DAYS_BEFORE_START + 7 * self.weeks + 4
        return days * MINUTES_PER_DAY + self.duration

    @functools.cache  # noqa: B019 - one _Run per call, so the cache dies with it
    def offsets(self, zone_name: str) -> _Offsets:
        zone = get_zone(zone_name)

        def offset(minute: int) -> int:
            moment = (self.epoch + timedelta(minutes=minute)).astimezone(zone)
            delta = moment.utcoffset()
            assert delta is not None  # noqa: S101 - zoneinfo always gives an offset
            return int(delta.total_seconds() // 60)

        samples = list(range(0, self.span + MINUTES_PER_DAY, MINUTES_PER_DAY))
        values = [offset(minute) for minute in samples]
        breaks, offsets = [-(10**9)], [values[0]]
        for left, right, before, after in zip(
            samples, samples[1:], values, values[1:], strict=False
        ):
            if before == after:
                continue
            low, high = left, right  # offset(low) == before, offset(high) == after
            while high - low > 1:
                middle = (low + high) // 2
                if offset(middle) == before:
                    low = middle
                else:
                    high = middle
            breaks.append(high)
            offsets.append(after)
        return _Offsets(np.array(breaks, dtype=np.int64), np.array(offsets, dtype=np.int64))

    @functools.cached_property
    def occurrences(self) -> tuple[IntArray, BoolArray]:
        """UTC minute of each candidate's occurrence, shape (weeks, 672), and existence."""
        weeks = np.arange(self.weeks)[:, None]
        candidates = np.arange(SLOTS_PER_WEEK)[None, :]
        weekday = candidates // SLOTS_PER_DAY
        day = _EPOCH_DAYS_BEFORE_START + 7 * weeks + (weekday - self.start.weekday()) % 7
        wall = day * MINUTES_PER_DAY + candidates % SLOTS_PER_DAY * SLOT_MINUTES
        anchor = self.offsets(self.anchor)
        best = np.full(wall.shape, np.iinfo(np.int64).max, dtype=np.int64)
        bounds = [*anchor.breaks.tolist(), np.iinfo(np.int64).max]
        for index, offset in enumerate(anchor.offsets.tolist()):
            utc = wall - offset
            valid = (utc >= bounds[index]) & (utc < bounds[index + 1])
            best = np.where(valid & (utc < best), utc, best)
        exists = best != np.iinfo(np.int64).max
        return np.where(exists, best, 0), exists

    @functools.cached_property
    def exists_every_week(self) -> BoolArray:
        return self.occurrences[1].all(axis=0)

    @functools.cached_property
    def slots_per_session(self) -> int:
        return -(-self.duration // SLOT_MINUTES)

    @functools.cache  # noqa: B019 - see offsets()
    def zone_maps(self, zone_name: str) -> _ZoneMaps:
        return _ZoneMaps.build(self, zone_name)

    def week_of(self, minute: int) -> int:
        local = self.epoch + timedelta(minutes=minute)
        wall = local.astimezone(get_zone(self.anchor)).date()
        return (wall - self.start).days // 7


_NIGHT = np.zeros(2 * SLOTS_PER_WEEK + 1, dtype=np.int64)
_night_slots = np.arange(2 * SLOTS_PER_WEEK) % SLOTS_PER_DAY
_NIGHT[1:] = np.cumsum((_night_slots >= NIGHT_STARTS_SLOT) | (_night_slots < NIGHT_ENDS_SLOT))


@dataclass(frozen=True)
class _ZoneMaps:
    """How the anchor candidates land on a zone's local slots, merged over identical weeks.

    For map ``m`` and piece ``p``, candidate ``c`` needs local slots ``first[m, p, c]`` ...
    ``+ count[m, p, c] - 1`` (mod 672); ``count == 0`` pads. ``week_map[w]`` is the map of
    week ``w``. ``regular[m, c]`` marks the single full-length piece (the common case).
    """

    first: IntArray
    count: IntArray
    week_map: IntArray
    regular: BoolArray
    night: BoolArray

    @classmethod
    def build(cls, run: _Run, zone_name: str) -> _ZoneMaps:
        utc, exists = run.occurrences
        zone = run.offsets(zone_name)
        end = utc + run.duration
        first_segment = np.searchsorted(zone.breaks, utc, side="right") - 1
        last_segment = np.searchsorted(zone.breaks, end - 1, side="right") - 1
        pieces = int((last_segment - first_segment).max()) + 1
        bounds = np.append(zone.breaks, np.iinfo(np.int64).max)
        weekday_shift = run.epoch.weekday() * MINUTES_PER_DAY
        firsts, counts = [], []
        for piece in range(pieces):
            segment = np.minimum(first_segment + piece, len(zone.offsets) - 1)
            used = (first_segment + piece <= last_segment) & exists
            low = np.maximum(utc, bounds[segment])
            high = np.minimum(end, bounds[segment + 1])
            local = (low + zone.offsets[segment] + weekday_shift) % MINUTES_PER_WEEK
            slot = local // SLOT_MINUTES
            last = -(-(local + high - low) // SLOT_MINUTES)
            firsts.append(np.where(used, slot, 0))
            counts.append(np.where(used, last - slot, 0))
        first = np.stack(firsts, axis=1)  # (weeks, pieces, 672)
        count = np.stack(counts, axis=1)
        key = np.concatenate([first, count], axis=1).reshape(run.weeks, -1)
        seen: dict[bytes, int] = {}
        week_map = np.array([seen.setdefault(row.tobytes(), len(seen)) for row in key])
        representative = np.unique(week_map, return_index=True)[1]
        first, count = first[representative], count[representative]
        regular = (count[:, 0, :] == run.slots_per_session) & (count[:, 1:, :] == 0).all(axis=1)
        touched = _NIGHT[first + count] - _NIGHT[first] > 0
        night = touched.any(axis=(0, 1))
        return cls(first, count, week_map.reshape(-1).astype(np.int64), regular, night)


def _window_all(slots: BoolArray, length: int) -> BoolArray:
    """``result[:, s]`` is True when ``slots[:, s ... s + length - 1]`` (round the week) all are."""
    result = np.ones_like(slots)
    block, block_length, shift = slots, 1, 0
    while length:
        if length & 1:
            result &= np.roll(block, -shift, axis=1)
            shift += block_length
        length >>= 1
        if length:
            block = block & np.roll(block, -block_length, axis=1)
            block_length *= 2
    return result


def _candidate_columns(matrix: BoolArray, first: IntArray) -> BoolArray:
    """``matrix[:, first]``: a rotation when ``first`` is one (a week without an offset change,
    the common case), which copies far faster than a general gather."""
    shift = int(first[0])
    if (first == (np.arange(len(first)) + shift) % SLOTS_PER_WEEK).all():
        return np.roll(matrix, -shift, axis=1)
    return np.take(matrix, first, axis=1)


def _attendable_by_map(
    maps: _ZoneMaps, slots: Callable[[], BoolArray], window: BoolArray, map_index: int
) -> BoolArray:
    """For rows of availability (``slots()`` gives them, asked only when a candidate needs
    several pieces) and their full windows, the candidates of one map they can attend."""
    first, count, regular = maps.first[map_index], maps.count[map_index], maps.regular[map_index]
    result = _candidate_columns(window, first[0])
    irregular = np.flatnonzero(~regular).tolist()
    if irregular:
        rows = slots()
        for candidate in irregular:
            needed = [
                (first[piece, candidate] + offset) % SLOTS_PER_WEEK
                for piece in range(first.shape[0])
                for offset in range(int(count[piece, candidate]))
            ]
            result[:, candidate] = rows[:, needed].all(axis=1)
    return result


_EXACT_FLOAT32 = 2**24  # float32 adds integers exactly while every partial sum stays below this
_CHUNK_ROWS = 8192


def _float_type(weights: IntArray) -> type[np.floating]:
    return np.float32 if int(weights.sum()) < _EXACT_FLOAT32 else np.float64


def _weighted_column_sums(matrix: BoolArray, weights: IntArray) -> IntArray:
    """``weights @ matrix``, exactly, as a float matrix-vector product in row chunks (integer
    products would skip BLAS; the sums are integers below the float's exact range)."""
    dtype = _float_type(weights)
    total = np.zeros(matrix.shape[1], dtype=np.float64)
    for begin in range(0, len(matrix), _CHUNK_ROWS):
        rows = slice(begin, begin + _CHUNK_ROWS)
        total += weights[rows].astype(dtype) @ matrix[rows].astype(dtype)
    return np.rint(total).astype(np.int64)


def _merge_rows(
    matrices: Sequence[BoolArray], weights: IntArray
) -> tuple[list[BoolArray], IntArray, IntArray]:
    """Merge rows identical in every matrix, adding their weights.

    Returns the merged matrices, weights and each input row's merged row. Rows are keyed by a
    64-bit hash of their packed bits, checked against the representatives (falling back to
    exact byte comparison on a collision), so the merge is exact.
    """
    if not len(weights):
        return list(matrices), weights, np.zeros(0, dtype=np.int64)
    packed = np.packbits(np.concatenate(matrices, axis=1), axis=1)
    packed = np.pad(packed, ((0, 0), (0, -packed.shape[1] % 8)))
    words = np.ascontiguousarray(packed).view(np.uint64)
    multipliers = np.random.default_rng(672).integers(
        1, 2**63, size=words.shape[1], dtype=np.uint64
    ) | np.uint64(1)
    mixed = words ^ (words >> np.uint64(29))
    keys = (mixed * multipliers).sum(axis=1, dtype=np.uint64)
    _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    inverse = inverse.reshape(-1)
    if not (words[first][inverse] == words).all():
        void = words.view(np.dtype((np.void, words.shape[1] * 8))).reshape(-1)
        _, first, inverse = np.unique(void, return_index=True, return_inverse=True)
        inverse = inverse.reshape(-1)
    merged = np.bincount(inverse, weights=weights, minlength=len(first))
    return (
        [matrix[first] for matrix in matrices],
        np.rint(merged).astype(np.int64),
        inverse.astype(np.int64),
    )


# --------------------------------------------------------------------------------------------
# Grouping and the attendable matrix.


@dataclass
class _Cohort:
    """Participants merged by (zone, availability): ``group_of[i]`` is participant i's group.

    Groups are sorted by zone: zone ``z`` holds groups ``zone_bounds[z]`` ... ``zone_bounds[z + 1]
    - 1``, so per-zone work runs on contiguous slices.
    """

    participants: Sequence[Participant]
    ids: list[str]
    zones: list[str]
    group_zone: IntArray
    group_availability: IntArray
    group_of: IntArray
    weights: IntArray
    availability_slots: BoolArray
    zone_bounds: IntArray

    @classmethod
    def build(cls, participants: Sequence[Participant]) -> _Cohort:
        ids = [participant.id for participant in participants]
        zone_names = [participant.timezone for participant in participants]
        zones = list(dict.fromkeys(zone_names))
        cls._check(ids, zone_names, zones)
        zone_index = {name: index for index, name in enumerate(zones)}
        masks = [participant.availability.mask for participant in participants]
        distinct = list(dict.fromkeys(masks))
        mask_index = {mask: index for index, mask in enumerate(distinct)}
        size = len(participants)
        zone_of = np.fromiter(map(zone_index.__getitem__, zone_names), np.int64, size)
        availability_of = np.fromiter(map(mask_index.__getitem__, masks), np.int64, size)
        # Zone-major keys: the groups of one zone are consecutive (see zone_bounds).
        keys = zone_of * max(len(distinct), 1) + availability_of
        unique, group_of, weights = np.unique(keys, return_inverse=True, return_counts=True)
        raw = b"".join([mask.to_bytes(SLOTS_PER_WEEK // 8, "little") for mask in distinct])
        packed = np.frombuffer(raw, dtype=np.uint8).reshape(-1, SLOTS_PER_WEEK // 8)
        # unpackbits gives 0/1 bytes, which are valid booleans: a view, not a copy.
        slots = np.unpackbits(packed, axis=1, bitorder="little").view(np.bool_)
        group_zone = (unique // max(len(distinct), 1)).astype(np.int64)
        return cls(
            participants=participants,
            ids=ids,
            zones=zones,
            group_zone=group_zone,
            group_availability=(unique % max(len(distinct), 1)).astype(np.int64),
            group_of=group_of.reshape(-1).astype(np.int64),
            weights=weights.astype(np.int64),
            availability_slots=slots,
            zone_bounds=np.searchsorted(group_zone, np.arange(len(zones) + 1)).astype(np.int64),
        )

    @staticmethod
    def _check(ids: list[str], zone_names: list[str], zones: list[str]) -> None:
        """Raise for the first participant (input order) with a repeated id or unknown zone."""
        unknown = set()
        for name in zones:
            try:
                get_zone(name)
            except ValueError:
                unknown.add(name)
        if len(set(ids)) == len(ids) and not unknown:
            return
        seen: set[str] = set()
        for participant_id, zone_name in zip(ids, zone_names, strict=True):
            if participant_id in seen:
                raise ValueError(f"participant id {participant_id!r} appears twice")
            seen.add(participant_id)
            if zone_name in unknown:
                get_zone(zone_name)


@dataclass(frozen=True)
class _Attendance:
    """Per group: candidates attendable every week, those touching night, and for the
    candidate fitting the most weeks (``best``) the weeks it fails (``failing``, bool rows)."""

    every_week: BoolArray
    zone_night: BoolArray
    group_zone: IntArray
    zone_bounds: IntArray
    best: IntArray
    fits_somewhere: BoolArray
    failing: BoolArray

    def night(self, columns: IntArray) -> BoolArray:
        """Per group, whether each of ``columns`` touches local night."""
        return self.zone_night[:, columns][self.group_zone]

    def column_sums(self, weights: IntArray) -> tuple[IntArray, IntArray]:
        """Weighted column sums of ``every_week`` and of ``daytime()``, in one pass: per zone,
        the daytime sums are the zone's sums outside its night."""
        every, day = np.zeros(SLOTS_PER_WEEK, np.int64), np.zeros(SLOTS_PER_WEEK, np.int64)
        for zone, night in enumerate(self.zone_night):
            low, high = self.zone_bounds[zone : zone + 2].tolist()
            sums = _weighted_column_sums(self.every_week[low:high], weights[low:high])
            every += sums
            day += np.where(night, 0, sums)
        return every, day

    def daytime(self) -> BoolArray:
        """``every_week`` without the candidates touching each group's local night."""
        result = np.empty_like(self.every_week)
        for zone, day in enumerate(~self.zone_night):
            low, high = self.zone_bounds[zone : zone + 2].tolist()
            np.logical_and(self.every_week[low:high], day, out=result[low:high])
        return result


def _attendable(run: _Run, cohort: _Cohort, progress: Progress | None) -> _Attendance:
    window = _window_all(cohort.availability_slots, run.slots_per_session)
    groups = len(cohort.weights)
    attendable = np.empty((groups, SLOTS_PER_WEEK), dtype=bool)
    zone_night = np.zeros((len(cohort.zones), SLOTS_PER_WEEK), dtype=bool)
    best = np.zeros(groups, dtype=np.int64)
    fits_somewhere = np.zeros(groups, dtype=bool)
    failing = np.zeros((groups, run.weeks), dtype=bool)
    exists = run.occurrences[1]
    every_week = run.exists_every_week
    for zone_position, zone_name in enumerate(cohort.zones):
        low, high = cohort.zone_bounds[zone_position : zone_position + 2].tolist()
        maps = run.zone_maps(zone_name)
        availability = cohort.group_availability[low:high]
        windows = window[availability]

        def slots(
            rows: IntArray | slice = slice(None), availability: IntArray = availability
        ) -> BoolArray:
            return cohort.availability_slots[availability[rows]]

        result = attendable[low:high]
        for index in range(len(maps.first)):
            fits = _attendable_by_map(maps, slots, windows, index)
            if index:
                result &= fits
            else:
                result[...] = fits
        if not every_week.all():
            result &= every_week
        zone_night[zone_position] = maps.night
        stuck = np.flatnonzero(~result.any(axis=1))
        if len(stuck):
            # Weeks each candidate fits, for the reasons of those who fit no candidate.
            per_map = [
                _attendable_by_map(maps, functools.partial(slots, stuck), windows[stuck], index)
                for index in range(len(maps.first))
            ]
            weeks_fitting = np.zeros((len(stuck), SLOTS_PER_WEEK), dtype=np.int16)
            for index, fits in enumerate(per_map):
                weeks_with_map = exists[maps.week_map == index].sum(axis=0).astype(np.int16)
                weeks_fitting += fits * weeks_with_map
            top = weeks_fitting.argmax(axis=1)
            best[low + stuck] = top
            fits_somewhere[low + stuck] = weeks_fitting.max(axis=1) > 0
            by_week = np.stack(per_map)[maps.week_map][:, np.arange(len(stuck)), top]
            failing[low + stuck] = ~(by_week & exists[:, top]).T
        if progress is not None:
            progress("attendance", (zone_position + 1) / len(cohort.zones))
    return _Attendance(
        attendable, zone_night, cohort.group_zone, cohort.zone_bounds, best, fits_somewhere, failing
    )


# --------------------------------------------------------------------------------------------
# The exact search. Scores fold the first two objectives into one integer:
# score = (n + 1) * covered + covered_in_daytime, so maximising it maximises covered first.


class Search:
    """The exact search over the columns of ``attendable`` (``solve`` returns column positions).

    ``origin`` names each column in the caller's terms (its position there); a search on a
    subset of columns keeps the caller's positions, so it compares plans the same way.
    """

    def __init__(
        self,
        attendable: BoolArray,
        daytime: BoolArray,
        weights: IntArray,
        columns: IntArray,
        scale: int,
        progress: Progress | None,
        origin: IntArray | None = None,
        sums: tuple[IntArray, IntArray] | None = None,
    ) -> None:
        self.progress = progress
        self.scale = scale
        self.weights = weights
        self.a = attendable
        self.d = daytime
        self.columns = columns  # candidate index of each column, ascending
        self.origin = np.arange(attendable.shape[1]) if origin is None else origin
        # Weighted column sums of ``a`` and ``d`` (the caller may know them already).
        self.sum_a, self.sum_d = sums or (
            _weighted_column_sums(attendable, weights),
            _weighted_column_sums(daytime, weights),
        )
        self.single = scale * self.sum_a + self.sum_d
        self.nodes = 0  # paths the branch and bound visited, for tests and benchmarks

    def restrict(self, positions: IntArray) -> Search:
        """The search on some columns only, with rows attending none of them dropped and
        rows identical on them merged (fewer columns, far fewer rows)."""
        attendable = np.take(self.a, positions, axis=1)
        daytime = np.take(self.d, positions, axis=1)
        keep = attendable.any(axis=1)
        (attendable, daytime), weights, _ = _merge_rows(
            [attendable[keep], daytime[keep]], self.weights[keep]
        )
        return Search(
            attendable,
            daytime,
            weights,
            self.columns[positions],
            self.scale,
            self.progress,
            self.origin[positions],
        )

    # Exact weighted coverage via bitsets over rows split into binary weight planes.
    @functools.cached_property
    def _bits(self) -> tuple[npt.NDArray[np.uint64], IntArray]:
        blocks, word_weights = [], []
        top = int(self.weights.max()).bit_length() if len(self.weights) else 0
        for plane in range(top):
            rows = np.flatnonzero(self.weights >> plane & 1)
            if not len(rows):
                continue
            for matrix, factor in ((self.a, self.scale), (self.d, 1)):
                bits = np.packbits(matrix[rows].T, axis=1, bitorder="little")
                padding = -bits.shape[1] % 8
                bits = np.pad(bits, ((0, 0), (0, padding)))
                words = np.ascontiguousarray(bits).view(np.uint64)
                blocks.append(words)
                word_weights.append(np.full(words.shape[1], factor * (1 << plane), np.int64))
        if not blocks:
            return np.zeros((len(self.columns), 1), np.uint64), np.zeros(1, np.int64)
        return np.concatenate(blocks, axis=1), np.concatenate(word_weights)

    def gains(self, union: npt.NDArray[np.uint64], positions: IntArray) -> IntArray:
        bits, word_weights = self._bits
        fresh = bits[positions] & ~union
        # An integer product: exact, and it keeps BLAS (whose idle threads spin) out of the
        # search's inner loop.
        return np.bitwise_count(fresh).astype(np.int64) @ word_weights

    def pair_scores(self, heads: IntArray | None = None) -> IntArray:
        """Score of every pair of columns (the diagonal is the single score); with ``heads``,
        only the rows of those columns (``result[i, j]`` pairs ``heads[i]`` with ``j``)."""
        # Rows attending fewer than two columns add nothing off the diagonal.
        rows = np.flatnonzero(self.a.sum(axis=1, dtype=np.int32) >= 2)
        weights = self.weights[rows]
        dtype = _float_type(weights)
        a = self.a[rows].astype(dtype)
        d = self.d[rows].astype(dtype)
        column_weights = weights.astype(dtype)[:, None]
        if heads is None:
            heads = np.arange(len(self.single))
            left_a, left_d = a, d
        else:
            left_a, left_d = a[:, heads], d[:, heads]
        both = self.scale * np.rint((left_a * column_weights).T @ a).astype(np.int64)
        both += np.rint((left_d * column_weights).T @ d).astype(np.int64)
        pairs = self.single[heads, None] + self.single[None, :] - both
        pairs[np.arange(len(heads)), heads] = self.single[heads]
        return pairs

    def greedy(self, k: int, start: Sequence[int] = ()) -> tuple[int, list[int]]:
        """A plan of k columns, ``start`` and then each adding the most, and its score: a
        lower bound."""
        chosen = list(start)
        covered_a = np.zeros(len(self.weights), dtype=bool)
        covered_d = np.zeros(len(self.weights), dtype=bool)
        # What the rows covered so far contribute to each column: gains are the column sums
        # less this, so each step reads only the rows its column newly covers.
        lost_a = np.zeros(len(self.single), dtype=np.int64)
        lost_d = np.zeros(len(self.single), dtype=np.int64)

        def cover(column: int) -> None:
            nonlocal lost_a, lost_d
            fresh_a = self.a[:, column] & ~covered_a
            fresh_d = self.d[:, column] & ~covered_d
            lost_a += _weighted_column_sums(self.a[fresh_a], self.weights[fresh_a])
            lost_d += _weighted_column_sums(self.d[fresh_d], self.weights[fresh_d])
            covered_a[fresh_a] = True
            covered_d[fresh_d] = True

        for column in chosen:
            cover(column)
        score = self.scale * int(self.weights[covered_a].sum()) + int(self.weights[covered_d].sum())
        for _ in range(min(k, len(self.single)) - len(chosen)):
            gains = self.scale * (self.sum_a - lost_a) + (self.sum_d - lost_d)
            gains[chosen] = -1
            best = int(np.argmax(gains))
            chosen.append(best)
            score += int(gains[best])
            cover(best)
        return score, sorted(chosen)

    @functools.cache  # noqa: B019 - one Search per plan, so the cache dies with it
    def solve(self, k: int) -> tuple[int, tuple[int, ...]]:
        """The best score for k columns and the lexicographically smallest columns reaching
        it, as ``origin`` positions."""
        if k == 1:
            best = int(np.argmax(self.single))  # the first maximum: smallest index
            return int(self.single[best]), (int(self.origin[best]),)
        if not len(self.weights):
            return 0, tuple(int(column) for column in self.origin[:k])
        lower, chosen = self.greedy(k)
        # A plan holding column c scores at most single[c] plus the best of k - 1 columns.
        if k == 2:
            rest = int(self.single.max())
        else:
            rest, best_fewer = self.solve(k - 1)
            # The best k - 1 columns and the column adding most to them: often better.
            fewer = np.searchsorted(self.origin, best_fewer).tolist()
            extended, more = self.greedy(k, fewer)
            if extended > lower:
                lower, chosen = extended, sorted(more)
        useful = np.flatnonzero(self.single >= lower - rest)
        sub = self.restrict(useful)
        result = sub._solve_useful(k, lower, tuple(int(self.origin[c]) for c in chosen))
        self.nodes += sub.nodes
        return result

    def _solve_useful(
        self, k: int, lower: int, chosen: tuple[int, ...]
    ) -> tuple[int, tuple[int, ...]]:
        """``solve`` once every column that might be in the best plan is here."""
        count = len(self.single)
        if k == 2:
            pairs = self.pair_scores()
            pairs[np.tri(count, dtype=bool)] = -1
            best = int(np.argmax(pairs))  # row-major first maximum: lexicographically smallest
            i, j = divmod(best, count)
            return int(pairs[i, j]), (int(self.origin[i]), int(self.origin[j]))
        # Only columns with a large single score can be a plan's column of largest single
        # score but one: with the columns of a plan sorted by single score (c_1 >= c_2 ...),
        # reaching ``lower`` needs single[c_i] >= (lower - (i - 1) * single.max()) / (k - i + 1),
        # smallest for i = k - 1. Only those columns head a path in the search, so only their
        # rows of the pair matrix are needed.
        limit = lower - (k - 2) * int(self.single.max())
        heads = np.flatnonzero(2 * self.single >= limit)
        pairs = self.pair_scores(heads)
        # Column c lies inside column e when adding c to e gains nothing. A column inside k
        # earlier ones is never in the best plan: one of those is outside the plan, and
        # swapping it in keeps the score and makes the plan lexicographically smaller. (Only
        # heads are checked as the e: fewer drops, still safe.)
        inside = (pairs == self.single[heads, None]) & (heads[:, None] < np.arange(count)[None, :])
        kept = np.flatnonzero(inside.sum(axis=0) < k)
        search = _BranchAndBound(self, kept, heads, pairs, k, lower, chosen)
        result = search.run()
        self.nodes += search.nodes
        return result


class _BranchAndBound:
    """The depth-first search of :meth:`Search._solve_useful` for k >= 3 columns.

    Positions index ``useful`` sorted by decreasing single score (ties: earlier column
    first); a path is increasing positions, and extends only to later ones. The best plan so
    far (``best_score``, ``best_columns`` as ``origin`` positions, sorted) prunes every path
    whose bound cannot reach it. ``nodes`` counts the paths visited.
    """

    def __init__(
        self,
        search: Search,
        useful: IntArray,
        heads: IntArray,
        head_pairs: IntArray,
        k: int,
        lower: int,
        chosen: tuple[int, ...],
    ) -> None:
        self.search = search
        self.gains = search.gains
        self.k = k
        self.bits = search._bits[0]
        self.useful = useful[np.lexsort((useful, -search.single[useful]))]
        self.single = search.single[self.useful]
        self.names = search.origin[self.useful]
        self.count = len(self.useful)
        self.gain_bound, self.bound_rows_known = self._head_gain_bounds(heads, head_pairs)
        self.best_score = lower
        self.best_columns = tuple(sorted(chosen))
        self.nodes = 0

    def _head_gain_bounds(self, heads: IntArray, head_pairs: IntArray) -> tuple[IntArray, int]:
        """``gain_bound[i, j]``: what column j adds to any set holding column i
        (submodularity), for the heads (a prefix in this order), and how many rows hold;
        other rows are computed if ever needed."""
        is_head = np.isin(self.useful, heads)
        rows = int(is_head.sum())
        head_rows = np.searchsorted(heads, self.useful[:rows])
        gain_bound = head_pairs[np.ix_(head_rows, self.useful)] - self.single[:rows, None]
        if not is_head[:rows].all() or is_head[rows:].any():
            rows = 0  # not a prefix (cannot happen, but stay exact)
        return gain_bound, rows

    def bound_rows(self, positions: IntArray) -> IntArray:
        """The rows of ``positions`` in the gain bound, computed where not known."""
        known = self.bound_rows_known
        if not len(positions) or int(positions.max()) < known:
            return self.gain_bound[positions]
        return np.stack(
            [
                self.gain_bound[p]
                if p < known
                else self.gains(self.bits[self.useful[p]], self.useful)
                for p in positions.tolist()
            ]
        )

    def run(self) -> tuple[int, tuple[int, ...]]:
        """The best score and the lexicographically smallest columns reaching it."""
        single, progress = self.single, self.search.progress
        first_bound = self._first_bounds()
        total = max(self.count, 1)
        for position in range(self.count):
            if progress is not None and position % 16 == 0:
                progress("search", position / total)
            if (
                int(single[position]) + (self.k - 1) * int(single[position:].max())
                < self.best_score
            ):
                break  # single is sorted, so no later first column can do better
            if position < len(first_bound) and int(first_bound[position]) < self.best_score:
                continue
            self._visit([position], self.bits[self.useful[position]].copy(), int(single[position]))
        return self.best_score, self.best_columns

    def _first_bounds(self) -> IntArray:
        """A plan whose first column (in this order) is c scores at most single[c] plus the
        k - 1 largest gains of later columns given c (for the rows known)."""
        count = self.count
        later_gains = np.triu(self.bound_rows(np.arange(min(count, self.bound_rows_known))), 1)
        most = min(self.k - 1, count)
        top = np.sort(later_gains, axis=1)[:, count - most :].sum(axis=1) if most else 0
        return self.single[: len(later_gains)] + top

    def _visit(self, path: list[int], union: npt.NDArray[np.uint64], score: int) -> None:
        """Extend ``path`` (whose rows are ``union`` and score ``score``) by later columns."""
        self.nodes += 1
        nxt = path[-1] + 1
        if nxt >= self.count:
            return
        # What each later column can add to the path: the least of its gains through each.
        bound_rows = self.bound_rows
        bound = np.minimum.reduce([bound_rows(np.array([p]))[0, nxt:] for p in path])
        left = self.k - len(path)
        if left == 1:
            self._choose_last(path, union, score, bound)
        elif left == 2:
            self._extend_by_two(path, union, score, bound)
        else:
            self._extend(path, union, score, bound, left)

    def _choose_last(
        self, path: list[int], union: npt.NDArray[np.uint64], score: int, bound: IntArray
    ) -> None:
        """The last column: exact gains for the columns whose bound can reach the best."""
        hopeful = np.flatnonzero(score + bound >= self.best_score) + path[-1] + 1
        if not len(hopeful):
            return
        exact = score + self.gains(union, self.useful[hopeful])
        top = int(exact.max())
        if top < self.best_score:
            return
        names = self.names
        for position in hopeful[exact == top].tolist():
            columns = tuple(sorted([*(int(names[p]) for p in path), int(names[position])]))
            if top > self.best_score or columns < self.best_columns:
                self.best_score, self.best_columns = top, columns

    def _extend_by_two(
        self, path: list[int], union: npt.NDArray[np.uint64], score: int, bound: IntArray
    ) -> None:
        """All second-to-last columns at once. Below one first column, the bound is the exact
        gain (the pair matrix is exact). A cheap bound on the last column (through the path
        only) screens the candidates before the tighter one (through the candidate too),
        which costs a row of the pair matrix per candidate."""
        nxt = path[-1] + 1
        exact = bound if len(path) == 1 else self.gains(union, self.useful[nxt:])
        suffix = np.maximum.accumulate(bound[::-1])[::-1]
        third = np.append(suffix[1:], 0)
        seconds = np.flatnonzero(score + exact + third >= self.best_score)
        if not len(seconds):
            return
        block = np.minimum(bound[None, :], self.bound_rows(nxt + seconds)[:, nxt:])
        block[np.arange(len(bound))[None, :] <= seconds[:, None]] = 0
        reach = score + exact[seconds] + block.max(axis=1)
        for offset, most in zip(seconds.tolist(), reach.tolist(), strict=True):
            if most < self.best_score:
                continue  # best_score may have risen since
            position = nxt + offset
            union_with = union | self.bits[self.useful[position]]
            self._visit([*path, position], union_with, score + int(exact[offset]))

    def _extend(
        self,
        path: list[int],
        union: npt.NDArray[np.uint64],
        score: int,
        bound: IntArray,
        left: int,
    ) -> None:
        """Each next column in turn, when it and ``left - 1`` columns after it can reach the
        best."""
        nxt = path[-1] + 1
        suffix = np.maximum.accumulate(bound[::-1])[::-1]
        for offset in range(len(bound) - 1):
            later = (left - 1) * int(suffix[offset + 1])
            if score + int(bound[offset]) + later < self.best_score:
                continue
            position = nxt + offset
            gain = int(self.gains(union, self.useful[position : position + 1])[0])
            self._visit([*path, position], union | self.bits[self.useful[position]], score + gain)


# --------------------------------------------------------------------------------------------
# Public API.


def _check_run(weeks: int, duration_minutes: int, anchor: str) -> None:
    if weeks < 1:
        raise ValueError("weeks must be at least 1")
    if not 1 <= duration_minutes <= MINUTES_PER_DAY:
        raise ValueError("duration_minutes must be 1 ... 1440")
    get_zone(anchor)


def plan_sessions(
    participants: Sequence[Participant],
    *,
    start: date,
    weeks: int,
    duration_minutes: int,
    sessions: int = 1,
    anchor: str = "UTC",
    candidates: Iterable[SessionTime] | None = None,
    progress: Progress | None = None,
) -> Plan:
    """Choose ``sessions`` weekly times covering the most participants (see module docstring).

    ``candidates`` restricts the times the plan may use (all 672 by default); coverage and
    reasons still consider every time. Raises ``ValueError`` for duplicate participant ids,
    an unknown zone (:class:`~cohortkit.scheduling.availability.UnknownTimezoneError`) or
    out-of-range arguments. Changes nothing: a pure function.
    """
    _check_run(weeks, duration_minutes, anchor)
    allowed = (
        np.arange(SLOTS_PER_WEEK)
        if candidates is None
        else np.array(sorted({time.index for time in candidates}), dtype=np.int64)
    )
    if not 1 <= sessions <= len(allowed):
        raise ValueError(f"sessions must be 1 ... {len(allowed)} (the candidate times)")
    run = _Run(start, weeks, duration_minutes, anchor)
    cohort = _Cohort.build(participants)
    attendance = _attendable(run, cohort, progress)
    attendable = attendance.every_week
    daytime = attendance.daytime()
    sum_a, sum_d = attendance.column_sums(cohort.weights)
    coverage = sum_a
    if len(allowed) < SLOTS_PER_WEEK:
        attendable, daytime = attendable[:, allowed], daytime[:, allowed]
        sum_a, sum_d = sum_a[allowed], sum_d[allowed]
    search = Search(
        attendable,
        daytime,
        cohort.weights,
        allowed,
        len(participants) + 1,
        progress,
        sums=(sum_a, sum_d),
    )
    _, columns = search.solve(sessions)
    times = [SessionTime.from_index(int(allowed[column])) for column in columns]
    return _finish(run, cohort, attendance, times, coverage)


def evaluate_plan(
    participants: Sequence[Participant],
    times: Sequence[SessionTime],
    *,
    start: date,
    weeks: int,
    duration_minutes: int,
    anchor: str = "UTC",
    progress: Progress | None = None,
) -> Plan:
    """Coverage of hand-set ``times`` (a coordinator's override), in the order given.

    Same semantics and result as :func:`plan_sessions`, without choosing: ``Plan.times`` is
    ``times`` and ``assignment`` indexes into it. The times must be distinct.
    """
    _check_run(weeks, duration_minutes, anchor)
    if len({time.index for time in times}) != len(times):
        raise ValueError("the session times must be distinct")
    run = _Run(start, weeks, duration_minutes, anchor)
    cohort = _Cohort.build(participants)
    return _finish(run, cohort, _attendable(run, cohort, progress), list(times))


def _finish(
    run: _Run,
    cohort: _Cohort,
    attendance: _Attendance,
    times: list[SessionTime],
    coverage: IntArray | None = None,
) -> Plan:
    """The plan of ``times``; ``coverage`` is the weighted column sums of every_week when
    the caller has them."""
    attendable = attendance.every_week
    indices = np.array([time.index for time in times], dtype=np.int64)
    chosen = attendable[:, indices]
    daytime = chosen & ~attendance.night(indices)
    first_day = np.where(daytime.any(axis=1), daytime.argmax(axis=1), -1)
    first_any = np.where(chosen.any(axis=1), chosen.argmax(axis=1), -1)
    group_assigned = np.where(first_day >= 0, first_day, first_any)
    group_night = (first_day < 0) & (first_any >= 0)
    ids = cohort.ids
    assigned = group_assigned[cohort.group_of]
    slots: list[int | None] = [None if slot < 0 else slot for slot in assigned.tolist()]
    assignment = dict(zip(ids, slots, strict=True))
    shifts_by_zone = {zone: _offset_shifts(run, zone) for zone in cohort.zones}
    zones_shifting = np.array([bool(shifts_by_zone[zone]) for zone in cohort.zones], dtype=bool)
    shifting = np.flatnonzero(zones_shifting[cohort.group_zone[cohort.group_of]])
    zone_lists = [shifts_by_zone[zone] for zone in cohort.zones]
    offset_shifts = dict(
        zip(
            map(ids.__getitem__, shifting.tolist()),
            map(zone_lists.__getitem__, cohort.group_zone[cohort.group_of[shifting]].tolist()),
            strict=True,
        )
    )
    uncovered_groups = np.flatnonzero(group_assigned < 0)
    reason_of_group = _reasons(run, cohort, attendance, uncovered_groups, shifts_by_zone)
    left_out = np.flatnonzero(assigned < 0)
    uncovered = dict(
        zip(
            map(ids.__getitem__, left_out.tolist()),
            map(reason_of_group.__getitem__, cohort.group_of[left_out].tolist()),
            strict=True,
        )
    )
    if coverage is None:
        coverage = _weighted_column_sums(attendable, cohort.weights)
    return Plan(
        times=times,
        covered=int(cohort.weights[group_assigned >= 0].sum()),
        night=int(cohort.weights[group_night].sum()),
        assignment=assignment,
        coverage=coverage.reshape(7, SLOTS_PER_DAY),
        uncovered=uncovered,
        offset_shifts=offset_shifts,
        anchor=run.anchor,
        start=run.start,
        weeks=run.weeks,
        duration_minutes=run.duration,
        participants=len(ids),
    )


def _offset_shifts(run: _Run, zone_name: str) -> list[OffsetShift]:
    zone, anchor = run.offsets(zone_name), run.offsets(run.anchor)
    first = int(run.start.toordinal() - run.epoch.date().toordinal()) * MINUTES_PER_DAY
    begin = first - int(anchor.at(np.array([first]))[0])
    finish = begin + 7 * run.weeks * MINUTES_PER_DAY + MINUTES_PER_DAY
    moments = sorted({int(m) for m in (*zone.breaks[1:], *anchor.breaks[1:]) if begin < m < finish})
    shifts = []
    for moment in moments:
        instants = np.array([moment - 1, moment])
        before, after = (zone.at(instants) - anchor.at(instants)).tolist()
        week = run.week_of(moment)
        if before != after and 0 <= week < run.weeks:
            at = run.epoch + timedelta(minutes=moment)
            shifts.append(OffsetShift(week, at, int(before), int(after)))
    return shifts


def _reasons(
    run: _Run,
    cohort: _Cohort,
    attendance: _Attendance,
    groups: IntArray,
    shifts_by_zone: dict[str, list[OffsetShift]],
) -> dict[int, UncoveredReason]:
    """The reason of each of ``groups`` (none attends a chosen time), computed once per
    distinct reason: a group's reason depends only on how many other times it can attend,
    and when none, on whether it fits some week, the weeks failing and its zone."""
    other = attendance.every_week[groups].sum(axis=1, dtype=np.int64)
    # Groups attending other times: the reason depends on the count only.
    moving = groups[other > 0]
    counts, first, inverse = np.unique(other[other > 0], return_index=True, return_inverse=True)
    distinct = [
        _reason(run, cohort, attendance, int(moving[index]), int(count), shifts_by_zone)
        for index, count in zip(first.tolist(), counts.tolist(), strict=True)
    ]
    reasons = dict(
        zip(moving.tolist(), map(distinct.__getitem__, inverse.reshape(-1).tolist()), strict=True)
    )
    # Groups attending no time (few): by fitting some week, the weeks failing, and the zone.
    cache: dict[tuple[object, ...], UncoveredReason] = {}
    for group in groups[other == 0].tolist():
        fits = bool(attendance.fits_somewhere[group])
        failing = attendance.failing[group].tobytes() if fits else b""
        key = (fits, failing, int(cohort.group_zone[group]))
        if key not in cache:
            cache[key] = _reason(run, cohort, attendance, group, 0, shifts_by_zone)
        reasons[group] = cache[key]
    return reasons


def _reason(
    run: _Run,
    cohort: _Cohort,
    attendance: _Attendance,
    group: int,
    every_week: int,
    shifts_by_zone: dict[str, list[OffsetShift]],
) -> UncoveredReason:
    if every_week:
        return UncoveredReason(
            "not_chosen",
            f"can attend {every_week} other time(s) every week, but none of the chosen times",
            other_times=every_week,
        )
    if not attendance.fits_somewhere[group]:
        return UncoveredReason(
            "no_window",
            f"no available stretch holds a {run.duration}-minute session",
        )
    failing = tuple(np.flatnonzero(attendance.failing[group]).tolist())
    shifts = shifts_by_zone[cohort.zones[int(cohort.group_zone[group])]]
    if shifts:
        cause = "DST shift in " + ", ".join(f"week {shift.week + 1}" for shift in shifts)
    else:
        cause = "the session time does not exist in " + ", ".join(f"week {w + 1}" for w in failing)
    return UncoveredReason(
        "not_every_week",
        f"no candidate fits every week; available times fit only in some weeks: {cause}",
        failing,
        shift_weeks=tuple(shift.week for shift in shifts),
    )
