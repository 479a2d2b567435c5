"""The project's Prometheus metrics, defined once per process.

Defined here, counted where things happen; nothing is exposed over HTTP yet.
"""

from prometheus_client import Counter

#: Work that runs after a commit (events to browsers, e-mails) and failed. The change itself
#: is committed and was answered as such; the failure is logged with its context.
SIDE_EFFECT_FAILURES = Counter(
    "side_effect_failures",
    "Side effects of committed changes that failed (logged with their context).",
    ["effect"],
)
