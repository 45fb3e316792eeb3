"""Read models for the leaders' dashboard: figures gathered across plans, tracking and kpis,
scoped to the acting user. Reads only."""
