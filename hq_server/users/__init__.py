"""People who sign in to the HQ back office: roles, store scope, passwords and their reset."""
