"""The override log: supervisor overrides journaled by tills (OverrideRecorded), at HQ."""
