"""Status codes seen by the bad-input tests, printed in pytest's terminal summary."""

from collections import Counter, defaultdict

STATUS_COUNTS: defaultdict[str, Counter] = defaultdict(Counter)


def record(test_name: str, status: int) -> None:
    STATUS_COUNTS[test_name][status] += 1


def summary_lines() -> list[str]:
    lines = []
    total: Counter = Counter()
    for name, counts in sorted(STATUS_COUNTS.items()):
        total.update(counts)
        lines.append(f"{name}: {format_counts(counts)}")
    if total:
        lines.append(f"all: {format_counts(total)} ({sum(total.values())} requests)")
    return lines


def format_counts(counts: Counter) -> str:
    return ", ".join(f"{status} x{n}" for status, n in sorted(counts.items()))
