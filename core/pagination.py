"""Pagination whose cost does not grow with the archive.

Django's Paginator counts every row of the list (`SELECT COUNT(*)`) to print "Page 3 of
N": a section of a million-story archive counts hundreds of thousands of rows on every
page view, however few the reader looks at. BoundedPaginator counts no further than it
needs: up to COUNTED_UP_TO rows, or just past the page asked for when that is further on.
Under that bound the count is exact; at it, the list has at least that many rows and
`more_than_counted` says so (the page then prints no total).
"""

import contextlib

from django.core.paginator import Paginator
from django.utils.functional import cached_property

# Rows counted at most, before the page asked for needs more: a few hundred microseconds
# along an index, and every total below it exact (83 pages of 12).
COUNTED_UP_TO = 1000
# No list is longer: a page number past it (?page=999...9) is counted up to here, found out
# of range and answered 404, and the LIMIT stays within the database's integers.
LONGEST_LIST = 10**9


class BoundedPaginator(Paginator):
    """A Paginator over a queryset that counts at most max(COUNTED_UP_TO, the rows up to
    the page asked for) + 1 rows. `count` is exact when `more_than_counted` is false;
    otherwise it is a lower bound greater than the asked page's last row, so the page
    knows it has a next one."""

    counted_up_to = COUNTED_UP_TO

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._asked = 1

    def validate_number(self, number):
        # Remember how far the reader asked before counting, so the count reaches it.
        with contextlib.suppress(TypeError, ValueError, OverflowError):
            self._asked = max(self._asked, int(number))
        return super().validate_number(number)

    @cached_property
    def _limit(self) -> int:
        asked = min(self._asked * self.per_page + self.orphans, LONGEST_LIST)
        return max(self.counted_up_to, asked) + 1

    @cached_property
    def count(self) -> int:
        rows = self.object_list
        if hasattr(rows, "values"):
            # Which rows, not what the page prints of them: no annotated columns (a
            # listing's comment counts), no joins for them, no ordering to follow.
            rows = rows.order_by().values("pk")
        return rows[: self._limit].count()

    @property
    def more_than_counted(self) -> bool:
        """Whether the list goes on past what was counted (the total is not known)."""
        return self.count >= self._limit
