"""Meetings for tests, built through the real services: the board of the workflow
world (chair: the Bengtsfors director; secretary: the samordnare)."""

import datetime as dt
from zoneinfo import ZoneInfo

from portfolio.services import meetings, settings_bodies

STOCKHOLM = ZoneInfo("Europe/Stockholm")
MEETING_AT = dt.datetime(2026, 2, 10, 9, 0, tzinfo=STOCKHOLM)


def board(w, **overrides):
    values = {
        "name": "Portföljstyrgruppen",
        "kind": "portfoljstyrgrupp",
        "program": None,
        "matters": ["G1", "G3", "avbryt", "avrakning", "avtal"],
        "members": [w.director, w.director_amal],
        "chair": w.director,
        "secretary": w.coordinator,
    }
    return settings_bodies.body_add(
        actor=w.coordinator, portfolio=w.portfolio, **{**values, **overrides}
    )


def meeting(w, body, starts_at=MEETING_AT, **values):
    return meetings.meeting_plan(
        actor=w.coordinator, body=body, starts_at=starts_at, place=values.pop("place", "Åmål")
    )
