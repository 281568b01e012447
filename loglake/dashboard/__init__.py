"""The Streamlit dashboard: pages that lay out what ``loglake.analytics.dashboard_data`` returns.

``loglake dashboard`` runs ``app.py`` with Streamlit. The scripts here hold no SQL: every
number they show comes from a tested function of ``loglake.analytics``.
"""
