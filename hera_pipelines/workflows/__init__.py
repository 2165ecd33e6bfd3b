"""Building blocks of the flows in `templates/`: expressions, frame, agent step, contracts."""
