"""Sentence banks (Russian and Kazakh) from which the replay web composes its synthetic news."""
