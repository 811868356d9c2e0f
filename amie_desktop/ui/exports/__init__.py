"""Exports section: certificates, summaries and CSV files, certificate checks and design."""
