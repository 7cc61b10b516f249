"""Training-set export: splits, the formats training code reads, and a dataset card."""
