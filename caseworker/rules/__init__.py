"""Pure domain rules of the Complaint Handling Code: no Textual, no SQL, no I/O beyond own data files."""
