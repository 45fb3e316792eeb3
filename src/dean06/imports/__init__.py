"""Imports that write across several domain apps (a monthly report touches documents, progress,
service figures and findings). Sits above the domain apps, below the web and the API."""
