"""Everything a client or staff member reads, kept apart from logic so a clinician can review it."""
