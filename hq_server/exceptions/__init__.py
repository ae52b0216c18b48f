"""The exceptions worklist: what the merge rules surface for a person to resolve, with who and why."""
