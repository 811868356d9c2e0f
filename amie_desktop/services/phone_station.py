"""Opening and closing the phone station: the facilitator's PIN, and a line in the audit log."""

from __future__ import annotations

from datetime import datetime

from amie_desktop.domain.values import Phase
from amie_desktop.services import audit, organisation, reflections
from amie_desktop.services.reflections import StationInfo
from amie_desktop.store import Store

WHO = "phone station"


def open_for_phones(
    store: Store, workshop_key: str | int, phase: Phase, pin: str, now: datetime | None = None
) -> StationInfo:
    """Check the facilitator PIN; the workshop, phase and questions the phones will be asked."""
    info = reflections.station_info(store, workshop_key, phase)
    organisation.verify_pin(store, pin, now=now, actor=WHO)
    opened(store, info)
    return info


def opened(store: Store, info: StationInfo) -> None:
    with store.write() as session:
        audit.record(
            session, "phone station opened", f"workshop {info.workshop_id}, {info.phase.value}", WHO
        )


def closed(store: Store, info: StationInfo, sent: int) -> None:
    """Record that the station closed and how many reflections came in (never what they said)."""
    with store.write() as session:
        audit.record(
            session,
            "phone station closed",
            f"workshop {info.workshop_id}, {info.phase.value}, {sent} sent",
            WHO,
        )
