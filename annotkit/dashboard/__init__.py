"""The teacher's dashboard as an app (ipywidgets, renders in Voilà) and its keyboard grading view (anywidget)."""

from .app import Dashboard, download_link
from .grading import GradingView

__all__ = ["Dashboard", "GradingView", "download_link"]
