"""The buyers' stock dashboard: server-rendered table, live updates over /api/v1/live."""
