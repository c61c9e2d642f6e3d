"""Improvement work: run and control charts (spc), funnel plots (funnel), PDSA cycles."""
