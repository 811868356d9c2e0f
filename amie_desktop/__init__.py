"""AMIE Workshop Companion: run HEARD workshops offline, gather reflections, issue certificates."""

__version__ = "0.1.0"
APP_NAME = "AMIE Workshop Companion"
DESKTOP_ID = "org.musicallyinclusive.AmieDesktop"
ORG_DOMAIN = "musicallyinclusive.example"
