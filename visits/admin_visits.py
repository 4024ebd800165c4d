"""Admin registrations; imported by visits/admin.py."""
