"""iCalendar (RFC 5545) files for one event, written by hand: a calendar with one VEVENT.

Lines end with CRLF and are folded at 75 octets (never inside a UTF-8 character); text values
are escaped (backslash, semicolon, comma, newline); times are in UTC (``...Z``)."""

from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.text import Truncator

LINE_OCTETS = 75
PRODID = "-//OKX Community//Events//EN"
DESCRIPTION_CHARS = 1000


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    starts_at: datetime
    ends_at: datetime
    summary: str
    description: str = ""
    location: str = ""
    url: str = ""


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 §3.3.11): backslash first, then ``;``, ``,`` and newlines."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\n", "\\n"))


def fold(line: str) -> str:
    """Fold a content line into CRLF-joined pieces of at most 75 octets each; continuation
    pieces start with one space, which counts towards their 75 (RFC 5545 §3.1)."""
    pieces, current, size = [], [], 0
    limit = LINE_OCTETS
    for char in line:
        octets = len(char.encode())
        if size + octets > limit:
            pieces.append("".join(current))
            current, size, limit = [], 0, LINE_OCTETS - 1
        current.append(char)
        size += octets
    pieces.append("".join(current))
    return "\r\n ".join(pieces)


def utc_stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def uid_for(kind: str, pk: int) -> str:
    """Stable across downloads, so calendars update the event instead of adding another."""
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"{kind}-{pk}@{host}"


def _translated(event, field: str) -> str:
    return event.safe_translation_getter(field, any_language=True) or ""


def ama_calendar_event(session) -> CalendarEvent:
    """What a calendar shows of an AMA session (``events.models.AmaSession``)."""
    return CalendarEvent(
        uid=uid_for("ama", session.pk), starts_at=session.starts_at, ends_at=session.ends_at,
        summary=str(session),
        description=Truncator(_translated(session, "description")).chars(DESCRIPTION_CHARS),
        url=f"{settings.SITE_URL}{session.get_absolute_url()}")


def meetup_calendar_event(meetup) -> CalendarEvent:
    """What a calendar shows of a meetup (``events.models.Meetup``): the venue and city as
    its location."""
    place = (_translated(meetup, "venue"), _translated(meetup, "city"))
    return CalendarEvent(
        uid=uid_for("meetup", meetup.pk), starts_at=meetup.starts_at, ends_at=meetup.ends_at,
        summary=str(meetup), location=", ".join(part for part in place if part),
        description=Truncator(_translated(meetup, "agenda")).chars(DESCRIPTION_CHARS),
        url=f"{settings.SITE_URL}{meetup.get_absolute_url()}")


def calendar_ics(event: CalendarEvent, *, now: datetime | None = None) -> str:
    properties = [
        ("UID", event.uid),
        ("DTSTAMP", utc_stamp(now or timezone.now())),
        ("DTSTART", utc_stamp(event.starts_at)),
        ("DTEND", utc_stamp(event.ends_at)),
        ("SUMMARY", escape_text(event.summary)),
    ]
    if event.description:
        properties.append(("DESCRIPTION", escape_text(event.description)))
    if event.location:
        properties.append(("LOCATION", escape_text(event.location)))
    if event.url:
        properties.append(("URL", event.url))
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", "BEGIN:VEVENT",
             *(f"{name}:{value}" for name, value in properties),
             "END:VEVENT", "END:VCALENDAR"]
    return "".join(fold(line) + "\r\n" for line in lines)
