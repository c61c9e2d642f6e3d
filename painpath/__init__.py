"""painpath: care coordination and quality improvement for long-term pain in primary care."""
