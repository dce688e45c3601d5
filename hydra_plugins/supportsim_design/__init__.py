"""supportsim's design sweeper for Hydra (``hydra/sweeper=design``): Morris, Sobol and
Latin-hypercube studies over the registry of uncertain parameters, one job per point."""
