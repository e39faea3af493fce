"""Vendor clients (transport) and integrations (vendor API -> typed service interface)."""
