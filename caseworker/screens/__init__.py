"""One module per screen; ``dialogs/`` holds the modal screens (forms, help, errors).

Screens never import ``store.models`` or open sessions: they call services and queries in
thread workers (see ``screens.base.WorkerMixin``) and never import SQLAlchemy at module
import time, so the first paint does not wait for it.
"""
