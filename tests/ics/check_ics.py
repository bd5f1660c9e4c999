"""Reads every .ics file of a built site with a real iCalendar parser
(the `icalendar` package) and checks what calendar apps rely on: RFC 5545
line rules, the properties every event and alarm must have, reminders before
the start, and one stable UID per activity in both calendar.ics and its
event.ics. Run by scripts/test.sh: python check_ics.py SITE_DIR
"""

import datetime
import pathlib
import sys
import unittest

import icalendar

SITE = pathlib.Path(sys.argv.pop(1) if len(sys.argv) > 1 else "public")


def read(path):
    raw = path.read_bytes()
    return raw, icalendar.Calendar.from_ical(raw.decode("utf-8"))


class Ics(unittest.TestCase):
    def setUp(self):
        self.files = sorted(SITE.rglob("*.ics"))
        self.assertTrue(self.files, f"no .ics files under {SITE}")

    def test_lines_follow_rfc_5545(self):
        for path in self.files:
            raw, _ = read(path)
            self.assertTrue(raw.endswith(b"\r\n"), path)
            self.assertNotIn(b"\n", raw.replace(b"\r\n", b""), f"{path}: bare LF")
            for line in raw.split(b"\r\n"):
                self.assertLessEqual(len(line), 75, f"{path}: {line!r}")

    def test_events_and_alarms_are_complete(self):
        for path in self.files:
            _, cal = read(path)
            self.assertEqual(cal["VERSION"], "2.0")
            self.assertIn("PRODID", cal)
            events = cal.walk("VEVENT")
            self.assertTrue(events, path)
            for ev in events:
                for key in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"):
                    self.assertIn(key, ev, f"{path}: {ev.get('SUMMARY')}")
                start, end = ev.decoded("DTSTART"), ev.decoded("DTEND")
                self.assertLess(start, end, ev["SUMMARY"])
                if isinstance(start, datetime.datetime):
                    self.assertEqual(start.utcoffset(), datetime.timedelta(0), "times are UTC")
                for alarm in ev.walk("VALARM"):
                    self.assertEqual(alarm["ACTION"], "DISPLAY")
                    self.assertTrue(str(alarm["DESCRIPTION"]))
                    trigger = alarm.decoded("TRIGGER")
                    self.assertIsInstance(trigger, datetime.timedelta)
                    self.assertLess(trigger, datetime.timedelta(0), "before the start")

    def test_each_activity_has_one_event_with_the_uid_of_the_feed(self):
        _, feed = read(SITE / "calendar.ics")
        uids = [str(ev["UID"]) for ev in feed.walk("VEVENT")]
        self.assertEqual(len(uids), len(set(uids)), "UIDs are unique")
        singles = [p for p in self.files if p.name == "event.ics"]
        self.assertEqual(len(singles), len(uids), "one event.ics per activity")
        for path in singles:
            _, cal = read(path)
            (ev,) = cal.walk("VEVENT")
            self.assertIn(str(ev["UID"]), uids, path)
            self.assertTrue(ev.walk("VALARM"), f"{path}: reminders")


if __name__ == "__main__":
    unittest.main(verbosity=2)
