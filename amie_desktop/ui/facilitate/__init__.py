"""Facilitate mode: the facilitator view, the presenter window and clicker keys."""
