"""The people behind comments as the site sees them: trust, display names, badges, the client's
address, the reader's own cookies."""
