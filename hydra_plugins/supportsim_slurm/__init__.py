"""supportsim's SLURM launcher for Hydra (``hydra/launcher=slurm``): a job array that
outlives a dead job — it waits for every job and reports the dead ones instead of
raising on the first and abandoning the rest."""
