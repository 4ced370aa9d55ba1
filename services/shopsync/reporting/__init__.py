"""What analysts see: the reporting tables of every tenant, the row-level-security rules,
the reporting user's grants, and QuickSight's dataset columns."""
