"""The analyses, each from the cube (or a unit-period panel made from it): indices, targets, ranking,
trends and breaks, policy effects, drivers, comments, the Decision 766 score."""
