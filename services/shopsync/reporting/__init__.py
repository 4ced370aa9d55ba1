"""What analysts see: the reporting views over every tenant, the row-level-security rules,
the reporting user's grants, and QuickSight's dataset columns."""
