"""User-visible conventions: every derived name and label is made here and nowhere else."""
