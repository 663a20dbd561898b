"""Tests of the profile, the term matcher, relevance and topics."""
