"""The phone station: reflection pages served to attendees' own phones over the room's network."""
