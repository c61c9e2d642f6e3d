"""Filled in by its view module."""

urlpatterns: list = []
