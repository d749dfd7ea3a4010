"""Weekly availability of participants, as local-time 15-minute slots.

A participant's availability is a set of the 672 (7 x 96) fifteen-minute slots of a week,
Monday 00:00 first, read in the participant's own IANA time zone. Slot ``i`` is weekday
``i // 96`` (0 = Monday) at ``(i % 96) * 15`` minutes after local midnight.

Text form (the ``availability`` column of the participants CSV and the profile form)::

    Mon-Fri 18:00-21:30; Sat 09:00-12:00; daily 07:00-08:00

- ranges are separated by ``;`` (blank pieces are ignored) and may overlap;
- each range is ``DAYS HH:MM-HH:MM``; DAYS is one day (``Mon`` ... ``Sun``), a span of days
  (``Mon-Fri``; a span may wrap round the week: ``Sat-Mon`` is Saturday, Sunday, Monday) or
  ``daily``; day names are case-insensitive;
- times lie on the 15-minute grid, the start before the end on the same day; the end may be
  ``24:00``. A range that crosses midnight is written as two ranges
  (``Fri 22:00-24:00; Sat 00:00-01:00``);
- an empty (or blank) value means ``daily 08:00-22:00``.

Anything else raises :class:`AvailabilityError`; an unknown zone raises
:class:`UnknownTimezoneError`. Both are ``ValueError`` subclasses. This module has no Django
imports: the web form, the CLI and the benchmarks share it.
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import numpy.typing as npt

SLOT_MINUTES = 15
SLOTS_PER_DAY = 24 * 60 // SLOT_MINUTES
SLOTS_PER_WEEK = 7 * SLOTS_PER_DAY
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
DEFAULT_AVAILABILITY_TEXT = "daily 08:00-22:00"

_DAY_INDEX = {name.lower(): index for index, name in enumerate(WEEKDAYS)}
_RANGE_RE = re.compile(
    r"^(?P<days>[A-Za-z]+(?:\s*-\s*[A-Za-z]+)?)\s+"
    r"(?P<start>\d{1,2}:\d{2})\s*-\s*(?P<end>\d{1,2}:\d{2})$"
)
# Names zoneinfo resolves that are not zones a person lives in.
_NOT_ZONES = frozenset({"localtime", "posixrules", "Factory"})


class AvailabilityError(ValueError):
    """An availability text that cannot be read; the message says which range and why."""


class UnknownTimezoneError(ValueError):
    """A time zone name that is not an IANA zone known to this system."""


@functools.cache
def get_zone(name: str) -> ZoneInfo:
    """Return the IANA zone called ``name`` or raise :class:`UnknownTimezoneError`."""
    if not name or name != name.strip() or name in _NOT_ZONES:
        raise UnknownTimezoneError(f"unknown time zone {name!r}")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise UnknownTimezoneError(f"unknown time zone {name!r}") from exc


@dataclass(frozen=True, slots=True)
class Availability:
    """A weekly set of local 15-minute slots.

    ``mask`` is a 672-bit integer whose bit ``i`` is slot ``i`` (see the module docstring).
    Being an ``int`` keeps the value hashable, so identical availabilities are merged cheaply.
    """

    mask: int

    def __post_init__(self) -> None:
        if not 0 <= self.mask < (1 << SLOTS_PER_WEEK):
            raise AvailabilityError("availability mask must hold 672 slots")

    @classmethod
    def parse(cls, text: str) -> Availability:
        return parse_availability(text)

    @classmethod
    def from_slots(cls, slots: Iterable[int]) -> Availability:
        mask = 0
        for slot in slots:
            if not 0 <= slot < SLOTS_PER_WEEK:
                raise AvailabilityError(f"slot {slot} is outside the week (0-671)")
            mask |= 1 << slot
        return cls(mask)

    @classmethod
    def from_array(cls, slots: npt.ArrayLike) -> Availability:
        """Build from 672 booleans (slot order as in the module docstring)."""
        array = np.asarray(slots, dtype=bool).reshape(-1)
        if array.shape != (SLOTS_PER_WEEK,):
            raise AvailabilityError("availability array must hold 672 slots")
        packed = np.packbits(array, bitorder="little").tobytes()
        return cls(int.from_bytes(packed, "little"))

    def to_array(self) -> npt.NDArray[np.bool_]:
        raw = np.frombuffer(self.mask.to_bytes(SLOTS_PER_WEEK // 8, "little"), dtype=np.uint8)
        return np.unpackbits(raw, bitorder="little").astype(bool)

    def __contains__(self, slot: object) -> bool:
        return isinstance(slot, int) and 0 <= slot < SLOTS_PER_WEEK and bool(self.mask >> slot & 1)

    def to_text(self) -> str:
        """The canonical text form: one range per day and run of slots, Monday first."""
        ranges = []
        for day in range(7):
            bits = self.mask >> (day * SLOTS_PER_DAY) & ((1 << SLOTS_PER_DAY) - 1)
            slot = 0
            while slot < SLOTS_PER_DAY:
                if bits >> slot & 1:
                    end = slot
                    while end < SLOTS_PER_DAY and bits >> end & 1:
                        end += 1
                    ranges.append(f"{WEEKDAYS[day]} {_clock(slot)}-{_clock(end)}")
                    slot = end
                else:
                    slot += 1
        return "; ".join(ranges)


@dataclass(frozen=True, slots=True)
class Participant:
    """Someone to schedule: an id unique within the cohort, an IANA zone, their availability."""

    id: str
    timezone: str
    availability: Availability


def _clock(slot: int) -> str:
    minutes = slot * SLOT_MINUTES
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _parse_time(value: str, piece: str, *, is_end: bool) -> int:
    hours_text, minutes_text = value.split(":")
    hours, minutes = int(hours_text), int(minutes_text)
    if minutes >= 60 or hours > 24 or (hours == 24 and (minutes or not is_end)):
        raise AvailabilityError(f"{piece!r}: {value} is not a valid time of day")
    if minutes % SLOT_MINUTES:
        raise AvailabilityError(
            f"{piece!r}: {value} is not on the 15-minute grid (use :00, :15, :30 or :45)"
        )
    return (hours * 60 + minutes) // SLOT_MINUTES


def _parse_days(text: str, piece: str) -> list[int]:
    names = [name.strip().lower() for name in text.split("-")]
    if names == ["daily"]:
        return list(range(7))
    unknown = [name for name in names if name not in _DAY_INDEX]
    if unknown:
        raise AvailabilityError(
            f"{piece!r}: unknown day {unknown[0]!r} (use Mon ... Sun, a span like Mon-Fri,"
            " or daily)"
        )
    first, last = _DAY_INDEX[names[0]], _DAY_INDEX[names[-1]]
    return [(first + offset) % 7 for offset in range((last - first) % 7 + 1)]


@functools.lru_cache(maxsize=65536)
def parse_availability(text: str) -> Availability:
    """Parse the text form described in the module docstring.

    Cached, as is each range: cohorts repeat a handful of ranges many times.
    """
    pieces = [piece.strip() for piece in text.split(";")]
    mask = 0
    for piece in pieces:
        if piece:
            mask |= _parse_range(piece)
    if not any(pieces):
        mask = _parse_range(DEFAULT_AVAILABILITY_TEXT)
    return Availability(mask)


@functools.lru_cache(maxsize=65536)
def _parse_range(piece: str) -> int:
    match = _RANGE_RE.match(piece)
    if match is None:
        raise AvailabilityError(
            f"{piece!r} is not a range like 'Mon-Fri 18:00-21:30' or 'daily 07:00-09:00'"
        )
    days = _parse_days(match["days"], piece)
    first = _parse_time(match["start"], piece, is_end=False)
    last = _parse_time(match["end"], piece, is_end=True)
    if first >= last:
        raise AvailabilityError(
            f"{piece!r}: the start must be before the end on the same day; write a range"
            " past midnight as two ranges, e.g. 'Fri 22:00-24:00; Sat 00:00-01:00'"
        )
    day_bits = ((1 << (last - first)) - 1) << first
    mask = 0
    for day in days:
        mask |= day_bits << (day * SLOTS_PER_DAY)
    return mask


class ParticipantCsvError(ValueError):
    """A participants CSV that cannot be read; ``line`` is the 1-based CSV line number."""

    def __init__(self, message: str, *, line: int, participant_id: str | None = None) -> None:
        where = f"line {line}" + (f" (id {participant_id!r})" if participant_id else "")
        super().__init__(f"{where}: {message}")
        self.line = line
        self.participant_id = participant_id


REQUIRED_COLUMNS = ("id", "timezone", "availability")


def read_participants_csv(lines: Iterable[str]) -> list[Participant]:
    """Read participants from CSV text with the header columns ``id,timezone,availability``.

    Other columns are ignored. Raises :class:`ParticipantCsvError` naming the line (and id)
    of the first missing column, empty or duplicate id, unknown zone or bad availability.
    """
    reader = csv.reader(lines)
    header = [name.strip() for name in next(reader, [])]
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise ParticipantCsvError(
            "the header lacks the column(s) " + ", ".join(missing), line=reader.line_num or 1
        )
    id_at, zone_at, availability_at = (header.index(column) for column in REQUIRED_COLUMNS)
    width = max(id_at, zone_at, availability_at) + 1
    participants = []
    seen: set[str] = set()
    for row in reader:
        line = reader.line_num
        if not row:
            continue  # a blank line
        if len(row) < width:
            row = row + [""] * (width - len(row))
        participant_id = row[id_at].strip()
        if not participant_id:
            raise ParticipantCsvError("the id is empty", line=line)
        if participant_id in seen:
            raise ParticipantCsvError(
                "the id appears twice", line=line, participant_id=participant_id
            )
        seen.add(participant_id)
        zone_name = row[zone_at].strip()
        try:
            get_zone(zone_name)
            availability = parse_availability(row[availability_at])
        except ValueError as exc:
            raise ParticipantCsvError(str(exc), line=line, participant_id=participant_id) from exc
        participants.append(Participant(participant_id, zone_name, availability))
    return participants
