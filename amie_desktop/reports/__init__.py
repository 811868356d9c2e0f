"""PDF documents built with ReportLab from plain data: certificates, summaries, reports."""
