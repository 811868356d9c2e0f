"""The reflection station: a full-screen kiosk where attendees reflect one after another."""
