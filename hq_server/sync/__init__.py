"""The sync API: push (till facts up, applied exactly once) and pull (change log down)."""
