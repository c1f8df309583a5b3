"""Video conferences about events (視頻會商) of the reference backend.

- `service`: the records (SQLite table `conferences`): `POST /api/v1/conferences` and
  `…/{id}/end` (idempotent, audited, shift_leader or admin), the reads, and the joins and
  leaves of the room's peers; every change is a durable `conference.updated` live message and
  an entry in the event's timeline (`conference.start|join|leave|end`) that keeps the event's
  version. After a restart, whoever was still in a room is marked left.
- `rooms`: the websocket signalling of a room's WebRTC mesh (≤ 8 peers), relaying offers,
  answers and ICE candidates, and keeping what each page reports receiving
  (`GET /api/v1/conferences/{id}/room`).
- `page`: the room page `/rooms/{id}?k=KEY` (the key is the credential) and its assets under
  `/rooms/static/` (plain browser WebRTC, no third-party code).
- `routes`: the routes of all of it.
"""

from .rooms import RoomHub
from .routes import conference_routes
from .service import ConferenceService

__all__ = ["ConferenceService", "RoomHub", "conference_routes"]
