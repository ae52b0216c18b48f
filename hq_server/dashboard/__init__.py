"""The back-office dashboard: server-rendered pages (Today, Stock, Analytics, Exceptions, Devices,
Audit), live updates over /api/v1/live, charts as inline SVG."""
