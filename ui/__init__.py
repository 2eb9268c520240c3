"""Streamlit-side helpers shared by every page: formatting, the shared frame, widgets."""
