"""Reusable widgets and renderers shared by several screens."""
