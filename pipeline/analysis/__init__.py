"""Cheap, profile-driven analysis of an article: term matching, relevance and topics.

Runs before any heavy language model, so that only relevant articles reach natasha.
"""
