"""The editors' admin: content in catalogue and routes, the workflow around it in workflow."""

from . import catalogue, routes, workflow

__all__ = ["catalogue", "routes", "workflow"]
