"""The .ics files, parsed by a strict RFC 5545 reader: CRLF line ends, lines of at most 75
octets folded with a leading space, escaped text, one VEVENT with UID, DTSTAMP and UTC times."""

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from events.ics import CalendarEvent, calendar_ics, escape_text, fold
from tests.events.conftest import make_ama, make_meetup

pytestmark = pytest.mark.django_db
NAME = re.compile(r"[A-Z][A-Z0-9-]*")


def unescape(value: str) -> str:
    """The inverse of RFC 5545 TEXT escaping; any other backslash sequence is an error."""
    out, chars = [], iter(value)
    for char in chars:
        if char != "\\":
            assert char not in ";,", f"unescaped {char!r} in {value!r}"
            out.append(char)
            continue
        following = next(chars)
        assert following in "\\;,nN", f"bad escape \\{following}"
        out.append("\n" if following in "nN" else following)
    return "".join(out)


def parse_ics(data: bytes) -> list[dict[str, str]]:
    """Components as {property: raw value}, strictly: every line ends with CRLF, no line is
    longer than 75 octets, continuation lines start with one space."""
    assert data.endswith(b"\r\n")
    physical = data[:-2].split(b"\r\n")
    assert all(b"\n" not in line and b"\r" not in line for line in physical)
    assert all(len(line) <= 75 for line in physical), max(physical, key=len)
    logical: list[str] = []
    for line in physical:
        if line.startswith(b" "):
            logical[-1] += line[1:].decode()
        else:
            logical.append(line.decode())
    components, stack = [], []
    for line in logical:
        name, _sep, value = line.partition(":")
        assert NAME.fullmatch(name), line
        if name == "BEGIN":
            stack.append({"BEGIN": value})
        elif name == "END":
            component = stack.pop()
            assert component["BEGIN"] == value
            components.append(component)
        else:
            assert name not in stack[-1], f"{name} twice"
            stack[-1][name] = value
    assert not stack
    return components


def utc(value: str) -> datetime:
    return datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)


def test_the_meetup_file_is_valid_icalendar(client):
    long_venue = "Marina Bay Sands, Expo & Convention Centre; Hall B, 10 Bayfront Ave, " * 2
    meetup = make_meetup(agenda="Line one, with commas; and semicolons\n**Line** two \\ 🚀 中文")
    meetup.starts_at = datetime(2030, 5, 1, 11, 0, tzinfo=UTC)
    meetup.ends_at = datetime(2030, 5, 1, 14, 30, tzinfo=UTC)
    meetup.set_current_language("en")
    meetup.venue = long_venue.strip()
    meetup.save()
    response = client.get("/en/events/meetups/singapore-night/calendar.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert 'filename="singapore-night.ics"' in response["Content-Disposition"]
    event, calendar = parse_ics(response.content)
    assert calendar["BEGIN"] == "VCALENDAR" and calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    assert event["BEGIN"] == "VEVENT"
    assert event["UID"] == f"meetup-{meetup.pk}@127.0.0.1"
    assert abs(utc(event["DTSTAMP"]) - datetime.now(UTC)) < timedelta(minutes=1)
    assert utc(event["DTSTART"]) == datetime(2030, 5, 1, 11, 0, tzinfo=UTC)
    assert utc(event["DTEND"]) == datetime(2030, 5, 1, 14, 30, tzinfo=UTC)
    assert unescape(event["SUMMARY"]) == "Singapore traders' night"
    assert unescape(event["LOCATION"]) == f"{long_venue.strip()}, Singapore"
    assert unescape(event["DESCRIPTION"]) == ("Line one, with commas; and semicolons\n"
                                              "**Line** two \\ 🚀 中文")
    assert event["URL"].endswith("/en/events/meetups/singapore-night/")


def test_the_ama_file_is_valid_icalendar(client):
    session = make_ama()
    event, _calendar = parse_ics(client.get("/en/events/ama/wallet-ama/calendar.ics").content)
    assert event["UID"] == f"ama-{session.pk}@127.0.0.1"
    assert utc(event["DTSTART"]) == session.starts_at.replace(microsecond=0)


def test_folding_never_splits_a_character_and_round_trips():
    line = "DESCRIPTION:" + escape_text("资金费率，" * 40 + "end")
    folded = fold(line)
    pieces = folded.encode().split(b"\r\n")
    assert len(pieces) > 3 and all(len(piece) <= 75 for piece in pieces)
    assert all(piece.startswith(b" ") for piece in pieces[1:])
    assert "".join(piece.decode()[1:] if n else piece.decode()
                   for n, piece in enumerate(pieces)) == line


def test_a_calendar_event_in_another_zone_is_written_in_utc():
    start = datetime(2030, 1, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    text = calendar_ics(CalendarEvent(uid="x@y", starts_at=start,
                                      ends_at=start + timedelta(hours=1), summary="S"))
    assert "DTSTART:20300101T010000Z\r\n" in text and "DTEND:20300101T020000Z\r\n" in text
